//! Percentiles by linear interpolation between closest ranks.
//!
//! For `n` values sorted ascending `x[0] ≤ … ≤ x[n-1]` and a quantile `q`, let `h = (n - 1) q`:
//! the percentile is `x[⌊h⌋] + (h - ⌊h⌋) (x[⌊h⌋ + 1] - x[⌊h⌋])` — the definition of NumPy's
//! default, R's type 7 and spreadsheets' `PERCENTILE.INC`. The median of an even count is the mean
//! of the two middle values; the percentile of one value is that value; of none, undefined.
//!
//! Quantiles are fractions `num/den`, so `⌊h⌋` and `h - ⌊h⌋` come from integer arithmetic, and a
//! store can pick the (at most two) values each quantile needs from a sorted list without handing
//! over the list: [`RankSample`] holds exactly those.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A quantile `num/den`, between 0 and 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quantile {
    num: i64,
    den: i64,
}

/// The 50th percentile.
pub const MEDIAN: Quantile = Quantile { num: 1, den: 2 };
/// The 90th percentile.
pub const P90: Quantile = Quantile { num: 9, den: 10 };
/// The quantiles reports give.
pub const REPORTED: [Quantile; 2] = [MEDIAN, P90];

impl Quantile {
    /// `(⌊h⌋, the numerator of h - ⌊h⌋ over den)` for `n ≥ 1` values.
    fn position(self, n: i64) -> (i64, i64) {
        let h = (n - 1) * self.num;
        (h / self.den, h % self.den)
    }
}

/// Of `n` sorted values, the values at the ranks (0-based) the [`REPORTED`] quantiles need: for
/// each, `⌊h⌋` and `⌊h⌋ + 1` when below `n`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankSample {
    /// How many values there are.
    pub count: i64,
    /// Rank → value, for the needed ranks.
    pub values: BTreeMap<i64, i64>,
}

impl RankSample {
    /// The ranks the reported quantiles need of `n` values (what the SQLite report selects with
    /// `i IN ((n - 1) / 2, (n - 1) / 2 + 1, (n - 1) * 9 / 10, (n - 1) * 9 / 10 + 1)`).
    pub fn needed_ranks(n: i64) -> Vec<i64> {
        if n <= 0 {
            return Vec::new();
        }
        let mut ranks: Vec<i64> = REPORTED
            .iter()
            .flat_map(|q| {
                let (lo, _) = q.position(n);
                [lo, lo + 1]
            })
            .filter(|r| *r < n)
            .collect();
        ranks.sort_unstable();
        ranks.dedup();
        ranks
    }

    /// The sample of `values` (in any order).
    pub fn of(mut values: Vec<i64>) -> Self {
        values.sort_unstable();
        let count = values.len() as i64;
        let values = Self::needed_ranks(count)
            .into_iter()
            .filter_map(|r| values.get(r as usize).map(|v| (r, *v)))
            .collect();
        Self { count, values }
    }

    /// The quantile `q` of the values; `None` when there are none (or the sample lacks a rank).
    pub fn quantile(&self, q: Quantile) -> Option<f64> {
        if self.count <= 0 {
            return None;
        }
        let (lo, rem) = q.position(self.count);
        let low = *self.values.get(&lo)?;
        if rem == 0 {
            return Some(low as f64);
        }
        let high = *self.values.get(&(lo + 1))?;
        Some(low as f64 + (high - low) as f64 * rem as f64 / q.den as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(values: &[i64], q: Quantile) -> Option<f64> {
        RankSample::of(values.to_vec()).quantile(q)
    }

    #[test]
    fn interpolates_between_closest_ranks() {
        assert_eq!(q(&[], MEDIAN), None);
        assert_eq!(q(&[7], MEDIAN), Some(7.0));
        assert_eq!(q(&[7], P90), Some(7.0));
        assert_eq!(q(&[4, 1], MEDIAN), Some(2.5));
        assert_eq!(q(&[3, 1, 2], MEDIAN), Some(2.0));
        // h = 0.9 · 9 = 8.1 → 9 + 0.1 · (100 - 9) = 18.1
        let ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 100];
        assert_eq!(q(&ten, MEDIAN), Some(5.5));
        assert!((q(&ten, P90).unwrap() - 18.1).abs() < 1e-9);
        // h = 0.9 · 10 = 9 exactly → x[9]
        let eleven: Vec<i64> = (0..=10).map(|i| i * 10).collect();
        assert_eq!(q(&eleven, P90), Some(90.0));
        assert_eq!(q(&eleven, MEDIAN), Some(50.0));
    }

    #[test]
    fn keeps_only_the_needed_ranks() {
        assert_eq!(RankSample::needed_ranks(0), Vec::<i64>::new());
        assert_eq!(RankSample::needed_ranks(1), vec![0]);
        assert_eq!(RankSample::needed_ranks(2), vec![0, 1]);
        assert_eq!(RankSample::needed_ranks(10), vec![4, 5, 8, 9]);
        assert_eq!(RankSample::needed_ranks(11), vec![5, 6, 9, 10]);
        let sample = RankSample::of((0..1000).rev().collect());
        assert_eq!(sample.count, 1000);
        assert_eq!(sample.values.len(), 4);
        assert_eq!(sample.quantile(MEDIAN), Some(499.5));
        assert!((sample.quantile(P90).unwrap() - 899.1).abs() < 1e-9);
    }

    /// The integer positions agree with the floating-point definition.
    #[test]
    fn positions_match_the_definition() {
        for n in 1..200i64 {
            let values: Vec<i64> = (0..n).map(|i| i * i).collect();
            let sample = RankSample::of(values.clone());
            for quantile in REPORTED {
                let h = (n - 1) as f64 * quantile.num as f64 / quantile.den as f64;
                let lo = h.floor() as usize;
                let hi = (lo + 1).min(values.len() - 1);
                let want = values[lo] as f64 + (h - lo as f64) * (values[hi] - values[lo]) as f64;
                let got = sample.quantile(quantile).unwrap();
                assert!((got - want).abs() < 1e-6, "n={n}: {got} vs {want}");
            }
        }
    }
}
