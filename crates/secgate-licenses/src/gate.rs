//! From what discovery found to what the evaluator judges: a declared `license` wins, then a
//! licence recognized from the licence text, else the package has no licence information.

use crate::discover::Discovered;
use crate::evaluate::{LicenseInput, LicenseSource};
use secgate_core::Package;

/// One evaluator input per package; `found` is in the same order as `packages`.
pub fn inputs<'a>(packages: &[&'a Package], found: &[Discovered]) -> Vec<LicenseInput<'a>> {
    packages
        .iter()
        .zip(found)
        .map(|(package, d)| {
            let source = match (&d.license, &d.detected) {
                (Some(expression), _) => LicenseSource::Declared {
                    expression: expression.clone(),
                },
                (None, Some(det)) => LicenseSource::Detected {
                    expression: det.expression.clone(),
                    confidence: det.confidence,
                    file: det.file.clone(),
                },
                (None, None) => LicenseSource::Missing,
            };
            LicenseInput {
                package,
                source,
                files: d.files.clone(),
            }
        })
        .collect()
}
