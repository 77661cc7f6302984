//! Policies in a workspace: their statuses, and moving a stopped one on. They react within the
//! commands the console, the participants and the load generator send (inline ones) and in
//! [`Workspace::step`], the page timer's step (async ones, and inline ones that are behind).

use super::{Result, Workspace};
use crate::sim::{Poison, PolicyStatus, Skipped};

impl Workspace {
    /// Every policy's status, in the model's order.
    pub fn policies(&self) -> Vec<PolicyStatus> {
        self.services.main.policies()
    }

    /// One policy's status.
    pub fn policy(&self, name: &str) -> Result<PolicyStatus> {
        Ok(self.services.main.policy(name)?)
    }

    /// Moves a stopped policy past the event it stopped at, and answers what it skipped.
    pub fn skip_policy(&mut self, name: &str) -> Result<Skipped> {
        Ok(self.services.main.skip_policy(name)?)
    }

    /// Lets a stopped policy react again to the event it stopped at, in the next step.
    pub fn retry_policy(&mut self, name: &str) -> Result<Poison> {
        Ok(self.services.main.retry_policy(name)?)
    }
}
