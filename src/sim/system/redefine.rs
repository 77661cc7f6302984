//! A system edited while it runs: what keeps its shape (a consumer's script fixed, an inbox
//! turned on, a module switched to an outbox, a process given a timeout) takes effect at once,
//! with every message, checkpoint and instance kept; what changes the shape (a module, consumer,
//! process or external system added, removed or moved, a topic read or published differently)
//! waits for the system to start again, and says so.

use super::deliver::Kind;
use super::{Part, Services};
use crate::model::{Faults, System};

impl Services {
    /// Takes a changed definition of the system. When its shape is the running one's, every change
    /// applies now and the answer is empty; otherwise nothing changes and the answer says, in
    /// words, what only a restart can bring in.
    pub fn redefine(&mut self, next: &System) -> Vec<String> {
        let reasons = reshaped(&self.definition, next);
        if !reasons.is_empty() {
            return reasons;
        }
        let was = std::mem::replace(&mut self.definition, next.clone());
        let system_faults_changed = was.faults != next.faults;
        // A fault set by hand (a preset, the fault controls) stays unless the definition changed it.
        let faults = |old: &Option<Faults>, new: &Option<Faults>, live: &mut Faults| {
            if old != new || (new.is_none() && system_faults_changed) {
                *live = new.clone().unwrap_or_else(|| next.faults.clone());
            }
        };
        for (index, (old, new)) in was.consumers.iter().zip(&next.consumers).enumerate() {
            let subscriber = &mut self.subscribers[index];
            faults(&old.faults, &new.faults, &mut subscriber.faults);
            subscriber.retry = new.retry;
            if old.logic != new.logic {
                subscriber.script = None;
            }
        }
        for (old, new) in was.consumers.iter().zip(&next.consumers) {
            if old.inbox != new.inbox || old.inbox_retention_ms != new.inbox_retention_ms {
                let _ = self.set_inbox(&new.name, new.inbox, new.inbox_retention_ms);
            }
        }
        for (index, process) in next.processes.iter().enumerate() {
            if let Some(subscriber) = self
                .subscribers
                .iter_mut()
                .find(|s| matches!(s.kind, Kind::Process(i) if i == index))
            {
                subscriber.retry = process.retry;
                if system_faults_changed {
                    subscriber.faults = next.faults.clone();
                }
            }
            if was.processes[index].inbox != process.inbox {
                let _ = self.set_inbox(&process.name, process.inbox, None);
            }
            self.processes[index].definition = process.clone();
        }
        for (run, external) in self.externals.iter_mut().zip(&next.externals) {
            run.definition = external.clone();
        }
        for id in 0..self.names.len() {
            let name = &self.names[id];
            let (old, new) = (was.module(name), next.module(name));
            let publisher = &mut self.publishers[id];
            faults(
                &old.and_then(|m| m.faults.clone()),
                &new.and_then(|m| m.faults.clone()),
                &mut publisher.faults,
            );
            let Some(module) = new else { continue };
            publisher.publishing = module.publishing;
            publisher.translations = module.translations.clone();
            publisher.contracts = module.contracts.clone();
            match id.checked_sub(1).map(|i| &mut self.others[i]) {
                Some(Part::EventSourced(runtime)) => {
                    let model = module.model.clone().unwrap_or_default();
                    if runtime.model() != &model {
                        runtime.set_model(model);
                    }
                }
                Some(Part::StateStored(tables)) => tables.set_handlers(&module.handlers),
                None => {}
            }
        }
        self.touched = true;
        Vec::new()
    }
}

/// What makes `next` a differently shaped system than `was`, in words; empty when it has the
/// same modules, subscribers, topics and external systems, in the same order.
fn reshaped(was: &System, next: &System) -> Vec<String> {
    let mut reasons = Vec::new();
    if was.main != next.main {
        reasons.push(format!("the main module is now {}", next.main));
    }
    let differ = |what: &str, old: Vec<String>, new: Vec<String>, reasons: &mut Vec<String>| {
        if old != new {
            let added: Vec<&String> = new.iter().filter(|n| !old.contains(n)).collect();
            let removed: Vec<&String> = old.iter().filter(|o| !new.contains(o)).collect();
            let said = match (added.is_empty(), removed.is_empty()) {
                (false, _) => format!("{what} {} added", join(&added)),
                (true, false) => format!("{what} {} removed", join(&removed)),
                (true, true) => format!("{what} reordered"),
            };
            reasons.push(said);
        }
    };
    let modules = |s: &System| -> Vec<String> { s.modules.iter().map(|m| m.name.clone()).collect() };
    differ("module", modules(was), modules(next), &mut reasons);
    let consumers = |s: &System| -> Vec<String> { s.consumers.iter().map(|c| c.name.clone()).collect() };
    differ("consumer", consumers(was), consumers(next), &mut reasons);
    let processes = |s: &System| -> Vec<String> { s.processes.iter().map(|p| p.name.clone()).collect() };
    differ("process manager", processes(was), processes(next), &mut reasons);
    let externals = |s: &System| -> Vec<String> { s.externals.iter().map(|e| e.name.clone()).collect() };
    differ("external system", externals(was), externals(next), &mut reasons);
    if !reasons.is_empty() {
        return reasons;
    }
    for (old, new) in was.modules.iter().zip(&next.modules) {
        if old.kind != new.kind {
            reasons.push(format!("module {} changed how it keeps its state", new.name));
        }
        let tables = |m: &crate::model::Module| -> Vec<String> { m.tables.iter().map(|t| t.name.clone()).collect() };
        if tables(old) != tables(new) {
            reasons.push(format!("module {} has other tables", new.name));
        }
        let contracts =
            |m: &crate::model::Module| -> Vec<String> { m.contracts.iter().map(|c| c.name.clone()).collect() };
        if contracts(old) != contracts(new) {
            reasons.push(format!("module {} publishes other contracts", new.name));
        }
        let types = |m: &crate::model::Module| -> Vec<String> {
            m.model
                .as_ref()
                .map(|model| model.event_types.iter().map(|t| t.name.clone()).collect())
                .unwrap_or_default()
        };
        if types(old) != types(new) {
            reasons.push(format!("module {} has other event types", new.name));
        }
    }
    for (old, new) in was.consumers.iter().zip(&next.consumers) {
        if old.module != new.module || old.topics != new.topics {
            reasons.push(format!("consumer {} reads other topics or moved", new.name));
        }
    }
    for (old, new) in was.processes.iter().zip(&next.processes) {
        if old.module != new.module || old.topics != new.topics {
            reasons.push(format!("process manager {} reads other topics or moved", new.name));
        }
    }
    for (old, new) in was.externals.iter().zip(&next.externals) {
        if old.succeeded != new.succeeded || old.failed != new.failed {
            reasons.push(format!("external system {} answers on other topics", new.name));
        }
    }
    reasons
}

fn join(names: &[&String]) -> String {
    names.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(", ")
}
