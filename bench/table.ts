/** Prints rows as an aligned text table: first row is the header; numeric-looking cells are right-aligned. */
export function printTable(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  rows.forEach((row, i) => {
    const line = row.map((cell, c) => (/^[\d.,×x%-]+\s?\S*$/.test(cell) && c > 0 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)));
    console.log(line.join('  ').trimEnd());
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}
