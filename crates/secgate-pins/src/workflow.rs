//! GitHub workflows (`.github/workflows/*.yml`) and action metadata (`action.yml`).
//!
//! The file is parsed into a positioned tree ([`yaml`]), then only the keys GitHub executes are
//! read:
//!
//! - workflows: `jobs.<id>.uses` (reusable workflow), `jobs.<id>.steps[*].uses` and `.run`,
//!   `jobs.<id>.container` and `jobs.<id>.services.<name>.image`;
//! - actions: `runs.steps[*].uses` and `.run` (composite), `runs.image` (Docker).
//!
//! `uses:` gives `action-unpinned` and the version comments ([`uses`]); images give
//! `image-unpinned` ([`image`]); `run:` scripts go to [`crate::shell::scan`] and their hits are
//! mapped back to file positions ([`script`]). Anything not of the expected shape is skipped: only
//! a YAML syntax error is a [`PinsError`].

mod comment;
mod image;
mod script;
mod uses;
mod yaml;

use crate::{ActionRef, FileKind, PinsError, PinsOptions, SourceFile};
use image::ImageSite;
use secgate_core::Finding;
use std::collections::HashSet;
use yaml::{NodeId, Yaml};

/// What one workflow or action file yields.
#[derive(Clone, Debug, Default)]
pub struct Checked {
    /// Findings.
    pub findings: Vec<Finding>,
    /// SHA-pinned actions with a version comment.
    pub action_refs: Vec<ActionRef>,
}

/// `action-unpinned`, `image-unpinned`, offline `action-tag-mismatch`, and the `run:` scripts of
/// a workflow (or, for [`FileKind::Action`], an action's metadata).
pub fn check(file: &SourceFile, options: &PinsOptions) -> Result<Checked, PinsError> {
    let yaml = Yaml::parse(&file.text).map_err(|e| PinsError::Parse {
        path: file.path.clone(),
        line: e.line,
        column: e.column,
        message: e.message,
    })?;
    let mut walk = Walk {
        file,
        options,
        yaml: &yaml,
        seen: HashSet::new(),
        out: Checked::default(),
    };
    for &root in &yaml.roots {
        if file.kind == FileKind::Action {
            walk.action(root);
        } else {
            walk.workflow(root);
        }
    }
    Ok(walk.out)
}

/// One pass over a parsed file.
struct Walk<'a> {
    file: &'a SourceFile,
    options: &'a PinsOptions,
    yaml: &'a Yaml,
    /// Nodes already checked: an alias makes a node reachable more than once, and it must be
    /// reported once (at its definition) and cost its size once.
    seen: HashSet<NodeId>,
    out: Checked,
}

impl Walk<'_> {
    fn first_visit(&mut self, id: NodeId) -> bool {
        self.seen.insert(id)
    }

    fn workflow(&mut self, root: NodeId) {
        let yaml = self.yaml;
        for jobs in yaml.get_all(root, "jobs") {
            if !self.first_visit(jobs) {
                continue;
            }
            for &(name, job) in yaml.entries(jobs) {
                if self.first_visit(job) {
                    self.job(yaml.key_text(name), job);
                }
            }
        }
    }

    fn job(&mut self, name: &str, job: NodeId) {
        let yaml = self.yaml;
        for uses in yaml.get_all(job, "uses") {
            self.uses(uses);
        }
        for steps in yaml.get_all(job, "steps") {
            self.steps(steps);
        }
        for container in yaml.get_all(job, "container") {
            // `container: image` or `container: { image: ... }`.
            if yaml.scalar(container).is_some() {
                let site = ImageSite::Container {
                    job: name,
                    image_key: false,
                };
                self.image(container, site);
            } else if self.first_visit(container) {
                for image in yaml.get_all(container, "image") {
                    let site = ImageSite::Container {
                        job: name,
                        image_key: true,
                    };
                    self.image(image, site);
                }
            }
        }
        for services in yaml.get_all(job, "services") {
            if !self.first_visit(services) {
                continue;
            }
            for &(service, definition) in yaml.entries(services) {
                for image in yaml.get_all(definition, "image") {
                    let site = ImageSite::Service {
                        job: name,
                        service: yaml.key_text(service),
                    };
                    self.image(image, site);
                }
            }
        }
    }

    fn action(&mut self, root: NodeId) {
        let yaml = self.yaml;
        for runs in yaml.get_all(root, "runs") {
            for steps in yaml.get_all(runs, "steps") {
                self.steps(steps);
            }
            for image in yaml.get_all(runs, "image") {
                self.image(image, ImageSite::Action);
            }
        }
    }

    fn steps(&mut self, steps: NodeId) {
        let yaml = self.yaml;
        if !self.first_visit(steps) {
            return;
        }
        for &step in yaml.items(steps) {
            if !self.first_visit(step) {
                continue;
            }
            for uses in yaml.get_all(step, "uses") {
                self.uses(uses);
            }
            for run in yaml.get_all(step, "run") {
                if let Some(script) = yaml.scalar(run)
                    && self.seen.insert(run)
                {
                    let found = script::findings(self.file, script);
                    self.out.findings.extend(found);
                }
            }
        }
    }

    fn uses(&mut self, id: NodeId) {
        if let Some(scalar) = self.yaml.scalar(id)
            && self.seen.insert(id)
        {
            uses::check(self.file, scalar, self.options, &mut self.out);
        }
    }

    fn image(&mut self, id: NodeId, site: ImageSite<'_>) {
        if let Some(scalar) = self.yaml.scalar(id)
            && self.seen.insert(id)
        {
            image::check(self.file, scalar, site, self.options, &mut self.out);
        }
    }
}

#[cfg(test)]
mod tests;
