//! A line diff for spec failures: `  ` for lines both sides share, `- ` for expected lines that
//! are missing, `+ ` for actual lines that were not expected.

/// The diff of two line lists, one output line per line, by longest common subsequence.
pub fn line_diff(expected: &[String], actual: &[String]) -> String {
    let (n, m) = (expected.len(), actual.len());
    // lcs[i][j]: the common length of expected[i..] and actual[j..].
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let value = if expected.get(i) == actual.get(j) {
                cell(&lcs, i + 1, j + 1) + 1
            } else {
                cell(&lcs, i + 1, j).max(cell(&lcs, i, j + 1))
            };
            if let Some(slot) = lcs.get_mut(i).and_then(|row| row.get_mut(j)) {
                *slot = value;
            }
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        match (expected.get(i), actual.get(j)) {
            (Some(e), Some(a)) if e == a => {
                out.push(format!("  {e}"));
                i += 1;
                j += 1;
            }
            (Some(e), Some(_)) if cell(&lcs, i + 1, j) >= cell(&lcs, i, j + 1) => {
                out.push(format!("- {e}"));
                i += 1;
            }
            (_, Some(a)) => {
                out.push(format!("+ {a}"));
                j += 1;
            }
            (Some(e), None) => {
                out.push(format!("- {e}"));
                i += 1;
            }
            (None, None) => break,
        }
    }
    out.join("\n")
}

fn cell(table: &[Vec<usize>], i: usize, j: usize) -> usize {
    table.get(i).and_then(|row| row.get(j)).copied().unwrap_or(0)
}
