/** The guide's simplest task, kept for demos and for measuring Temporal's own overhead. */
export async function addNumbers(x: number, y: number): Promise<number> {
  return x + y;
}
