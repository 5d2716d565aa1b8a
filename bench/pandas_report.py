"""The guide's generate_user_report body, for bench/reports.ts: every attempt of one user into a
DataFrame, then DataFrame.to_excel (openpyxl). Reads the same SQLite file our writer reads; prints
one JSON line with its timing and peak memory.

    python bench/pandas_report.py <sqlite file> <user id> <output .xlsx>
"""
import json
import resource
import sqlite3
import sys
import time
from datetime import datetime

import pandas as pd

database, user_id, report_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
started = time.perf_counter()

connection = sqlite3.connect(database)
connection.row_factory = sqlite3.Row
# user.task_statistics.all().values(): dicts with Python datetimes. Excel cannot hold time zones,
# so they become naive UTC (the guide's code would crash on Django's aware datetimes otherwise).
tasks = [
    {**dict(row), "attempted_at": datetime.fromisoformat(row["attempted_at"]).replace(tzinfo=None)}
    for row in connection.execute("SELECT * FROM quiz_attempts WHERE user_id = ? ORDER BY id", (user_id,))
]
df = pd.DataFrame(list(tasks))
df.to_excel(report_path)

print(json.dumps({
    "rows": len(tasks),
    "seconds": time.perf_counter() - started,
    "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
