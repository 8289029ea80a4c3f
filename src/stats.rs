//! Exact confidence intervals for counts and rates.
//!
//! * A Poisson count `x` observed over exposure `E`: the exact (Garwood 1936) interval for the
//!   mean is `[G(α/2; x), G(1−α/2; x+1)]`, where `G(q; k)` is the `q` quantile of the Gamma
//!   distribution with shape `k` and scale 1 (half the chi-square quantile with `2k` degrees of
//!   freedom); dividing by `E` gives the interval for the rate. The lower limit is 0 for `x = 0`.
//! * A binomial proportion `x` of `n`: the exact Clopper–Pearson (1934) interval
//!   `[B(α/2; x, n−x+1), B(1−α/2; x+1, n−x)]` from Beta quantiles.
//! * The ratio of two Poisson rates, `(x1/E1)/(x2/E2)`: conditional on `x1 + x2`, `x1` is
//!   binomial with `p = E1·RR/(E1·RR + E2)`, so the Clopper–Pearson interval `[pL, pU]` for `p`
//!   maps to `[pL/(1−pL)·E2/E1, pU/(1−pU)·E2/E1]`. This is the method of R's
//!   `poisson.test(c(x1, x2), c(E1, E2))`.
//!
//! Quantiles are found by bisection on the regularised incomplete Beta and Gamma functions of
//! `statrs`, to about 1e-13 relative, so the limits do not depend on an approximate inverse.

use statrs::function::beta::beta_reg;
use statrs::function::gamma::gamma_lr;

/// A two-sided interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower limit.
    pub low: f64,
    /// Upper limit.
    pub high: f64,
}

/// The `q` quantile of a continuous distribution on `[low, high]` with the increasing `cdf`.
fn bisect(cdf: impl Fn(f64) -> f64, q: f64, mut low: f64, mut high: f64) -> f64 {
    for _ in 0..400 {
        let mid = 0.5 * (low + high);
        if mid <= low || mid >= high || (high - low) <= 1e-15 * high.abs().max(1e-300) {
            break;
        }
        if cdf(mid) < q {
            low = mid;
        } else {
            high = mid;
        }
    }
    0.5 * (low + high)
}

/// The `q` quantile (0 < q < 1) of the Gamma distribution with `shape` > 0 and scale 1.
pub fn gamma_quantile(shape: f64, q: f64) -> f64 {
    let cdf = |x: f64| gamma_lr(shape, x);
    let mut high = shape.max(1.0);
    while cdf(high) < q {
        high *= 2.0;
    }
    bisect(cdf, q, 0.0, high)
}

/// The `q` quantile (0 < q < 1) of the Beta distribution with shapes `a`, `b` > 0.
pub fn beta_quantile(a: f64, b: f64, q: f64) -> f64 {
    bisect(|x| beta_reg(a, b, x), q, 0.0, 1.0)
}

/// The exact (Garwood) `1 − alpha` interval for the mean of a Poisson count `x`.
///
/// ```
/// let ci = borderline::stats::poisson_interval(5, 0.05);
/// assert!((ci.low - 1.6235).abs() < 1e-4 && (ci.high - 11.6683).abs() < 1e-4);
/// ```
pub fn poisson_interval(x: u64, alpha: f64) -> Interval {
    let low = if x == 0 {
        0.0
    } else {
        gamma_quantile(x as f64, alpha / 2.0)
    };
    Interval {
        low,
        high: gamma_quantile(x as f64 + 1.0, 1.0 - alpha / 2.0),
    }
}

/// The exact (Clopper–Pearson) `1 − alpha` interval for a binomial proportion `x` of `n`
/// (`x ≤ n`, `n > 0`).
///
/// ```
/// let ci = borderline::stats::clopper_pearson(5, 10, 0.05);
/// assert!((ci.low - 0.18709).abs() < 1e-5 && (ci.high - 0.81291).abs() < 1e-5);
/// ```
pub fn clopper_pearson(x: u64, n: u64, alpha: f64) -> Interval {
    assert!(n > 0 && x <= n, "clopper_pearson needs 0 ≤ x ≤ n and n > 0");
    let (x, n) = (x as f64, n as f64);
    let low = if x == 0.0 {
        0.0
    } else {
        beta_quantile(x, n - x + 1.0, alpha / 2.0)
    };
    let high = if x == n {
        1.0
    } else {
        beta_quantile(x + 1.0, n - x, 1.0 - alpha / 2.0)
    };
    Interval { low, high }
}

/// A rate ratio with its exact interval; `f64::INFINITY` where unbounded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateRatio {
    /// The ratio.
    pub estimate: f64,
    /// Its exact interval.
    pub interval: Interval,
}

/// The ratio of the rates `x1/e1` and `x2/e2` with its exact conditional `1 − alpha` interval
/// (as R's `poisson.test(c(x1, x2), c(e1, e2))`). `None` when it is undefined: no events at
/// all, or an exposure that is not positive. With `x2 = 0` the estimate and upper limit are
/// infinite; with `x1 = 0` the estimate and lower limit are 0.
///
/// ```
/// // R: poisson.test(c(11, 6 + 8 + 7), c(800, 1083 + 1050 + 878))
/// let rr = borderline::stats::rate_ratio(11, 800.0, 21, 3011.0, 0.05).unwrap();
/// assert!((rr.estimate - 1.971488).abs() < 1e-6);
/// assert!((rr.interval.low - 0.8584264).abs() < 1e-6);
/// assert!((rr.interval.high - 4.2772659).abs() < 1e-6);
/// ```
pub fn rate_ratio(x1: u64, e1: f64, x2: u64, e2: f64, alpha: f64) -> Option<RateRatio> {
    let valid = |e: f64| e.is_finite() && e > 0.0;
    if x1 + x2 == 0 || !valid(e1) || !valid(e2) {
        return None;
    }
    let p = clopper_pearson(x1, x1 + x2, alpha);
    let scale = e2 / e1;
    let odds = |p: f64| {
        if p >= 1.0 {
            f64::INFINITY
        } else {
            p / (1.0 - p) * scale
        }
    };
    let estimate = if x2 == 0 {
        f64::INFINITY
    } else {
        (x1 as f64 / e1) / (x2 as f64 / e2)
    };
    Some(RateRatio {
        estimate,
        interval: Interval {
            low: odds(p.low),
            high: odds(p.high),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// Exact (Garwood 1936) 95% limits for a Poisson count, as in the usual textbook tables
    /// (x=0 [0, 3.689], x=1 [0.0253, 5.572], x=5 [1.6235, 11.668], x=10 [4.7954, 18.390]) and
    /// R's `poisson.test(x)$conf.int`; the 6-decimal values are `scipy.stats.gamma.ppf(0.025, x)`
    /// and `gamma.ppf(0.975, x + 1)` (SciPy 1.17).
    #[test]
    fn garwood_matches_published_table() {
        let table = [
            (0, 0.0, 3.688879),
            (1, 0.025318, 5.571643),
            (5, 1.623486, 11.668332),
            (10, 4.795389, 18.390356),
        ];
        for (x, low, high) in table {
            let ci = poisson_interval(x, 0.05);
            assert!(close(ci.low, low, 1e-5), "x={x}: low {} vs {low}", ci.low);
            assert!(
                close(ci.high, high, 1e-5),
                "x={x}: high {} vs {high}",
                ci.high
            );
        }
    }

    /// R: `binom.test(5, 10)$conf.int` = [0.1870860, 0.8129140];
    /// `binom.test(0, 10)$conf.int` = [0, 0.3084971]; `binom.test(10, 10)` = [0.6915029, 1].
    #[test]
    fn clopper_pearson_matches_r() {
        let ci = clopper_pearson(5, 10, 0.05);
        assert!(close(ci.low, 0.1870860, 1e-7) && close(ci.high, 0.8129140, 1e-7));
        let ci = clopper_pearson(0, 10, 0.05);
        assert!(ci.low == 0.0 && close(ci.high, 0.3084971, 1e-7));
        let ci = clopper_pearson(10, 10, 0.05);
        assert!(close(ci.low, 0.6915029, 1e-7) && ci.high == 1.0);
    }

    /// The example of R's `?poisson.test`: `poisson.test(c(11, 6+8+7), c(800, 1083+1050+878))`
    /// prints rate ratio 1.971488, 95 percent confidence interval 0.8584264 4.2772659.
    #[test]
    fn rate_ratio_matches_r_poisson_test() {
        let rr = rate_ratio(11, 800.0, 21, 3011.0, 0.05).unwrap();
        assert!(close(rr.estimate, 1.971488, 1e-6));
        assert!(close(rr.interval.low, 0.8584264, 1e-7));
        assert!(close(rr.interval.high, 4.2772659, 1e-7));
    }

    /// With equal exposures the conditional interval is the Clopper–Pearson interval mapped
    /// through p/(1−p): 5 vs 5 events gives [0.1871/0.8129, 0.8129/0.1871] = [0.230142, 4.345135].
    #[test]
    fn rate_ratio_reduces_to_clopper_pearson() {
        let rr = rate_ratio(5, 2.0, 5, 2.0, 0.05).unwrap();
        let p = clopper_pearson(5, 10, 0.05);
        assert!(close(rr.estimate, 1.0, 1e-12));
        assert!(close(rr.interval.low, p.low / (1.0 - p.low), 1e-12));
        assert!(close(rr.interval.high, p.high / (1.0 - p.high), 1e-12));
        assert!(close(rr.interval.low, 0.230142, 1e-6));
        assert!(close(rr.interval.high, 4.345135, 1e-6));
    }

    #[test]
    fn rate_ratio_edge_cases() {
        assert!(rate_ratio(0, 1.0, 0, 1.0, 0.05).is_none());
        assert!(rate_ratio(3, 0.0, 1, 1.0, 0.05).is_none());
        let rr = rate_ratio(4, 1.0, 0, 1.0, 0.05).unwrap();
        assert!(rr.estimate.is_infinite() && rr.interval.high.is_infinite());
        // p_L = B(0.025; 4, 1) = 0.025^(1/4) = 0.3976354; RR_L = p_L/(1 − p_L) = 0.6601240.
        assert!(close(rr.interval.low, 0.6601240, 1e-6));
        let rr = rate_ratio(0, 1.0, 4, 1.0, 0.05).unwrap();
        assert!(rr.estimate == 0.0 && rr.interval.low == 0.0);
    }
}
