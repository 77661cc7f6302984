//! The sandbox: compiles each owner's script once, then calls its functions with JSON values under
//! the limits, turning every failure into a [`ScriptError`].

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use rhai::{CallFnOptions, Dynamic, Engine, FuncArgs, Scope, AST};
use serde_json::Value;

use super::engine::{self, Lent, Log, ReadModels, Reads};
use super::error::{ScriptError, ScriptErrorKind};
use super::locate::{self, FnSpan, Replay};
use super::random::Seed;
use super::value;
use super::{Limits, Owner};

/// A compiled script in one [`Sandbox`]; only meaningful to the sandbox that returned it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ScriptId(usize);

/// Runs users' scripts: pure functions of their arguments, bounded by [`Limits`], deterministic for a
/// seed. Single-threaded by design (the core runs in one wasm thread).
pub struct Sandbox {
    engine: Engine,
    limits: Limits,
    scripts: Vec<Compiled>,
    /// Each owner's compiled versions; a lookup compares sources, so a hit allocates nothing.
    cache: HashMap<Owner, Vec<ScriptId>>,
    compiles: u64,
    seed: Seed,
    log: Log,
    /// Read models lent for `read_model` calls.
    lent: Lent,
    /// What the running call has read (see `engine::MAX_READ_ITEMS`).
    reads: Reads,
    /// The scope calls run in, emptied before each: kept so that a call does not allocate one.
    scope: RefCell<Scope<'static>>,
}

struct Compiled {
    owner: String,
    source: String,
    ast: AST,
    /// Where each function sits in the source, to locate limit errors (see `locate`).
    spans: Vec<FnSpan>,
    /// Each defined function as (name, number of parameters), in source order.
    functions: Vec<(String, usize)>,
}

impl Sandbox {
    /// A sandbox whose scripts run under `limits` and draw `random_int`/`random_float` from `seed`.
    pub fn new(limits: Limits, seed: u64) -> Sandbox {
        let seed = Rc::new(Cell::new(seed));
        let log = Rc::new(RefCell::new(Vec::new()));
        let lent = Rc::new(RefCell::new(ReadModels::new()));
        let reads = Rc::new(Cell::new(0));
        let engine = engine::build(&limits, &seed, &log, &lent, &reads);
        Sandbox {
            engine,
            limits,
            scripts: Vec::new(),
            cache: HashMap::new(),
            compiles: 0,
            seed,
            log,
            lent,
            reads,
            scope: RefCell::new(Scope::new()),
        }
    }

    /// Lends read models to the scripts' `read_model(projection, id)` until they are taken back
    /// with [`Sandbox::take_read_models`]; the sandbox only reads them.
    pub fn lend_read_models(&mut self, read_models: ReadModels) {
        *self.lent.borrow_mut() = read_models;
    }

    /// Takes back the read models lent, leaving none.
    pub fn take_read_models(&mut self) -> ReadModels {
        std::mem::take(&mut *self.lent.borrow_mut())
    }

    /// Compiles once; the same owner and source again returns the cached ScriptId without recompiling.
    ///
    /// Top-level statements outside any `fn` are compiled but never run: a script is a set of functions.
    /// Every compiled version is kept, so ids handed out earlier stay valid.
    pub fn compile(&mut self, owner: &Owner, source: &str) -> Result<ScriptId, ScriptError> {
        let versions = self.cache.get(owner).map_or(&[][..], Vec::as_slice);
        if let Some(id) = versions
            .iter()
            .find(|id| self.scripts.get(id.0).is_some_and(|s| same_text(&s.source, source)))
        {
            return Ok(*id);
        }
        self.compiles += 1;
        let owner_name = owner.to_string();
        let ast = self
            .engine
            .compile(source)
            .map_err(|err| ScriptError::from_parse(&owner_name, &err, &self.limits))?;
        // Sorted: rhai's own order is not stable across builds, and error messages list these.
        let mut functions: Vec<(String, usize)> = ast
            .iter_functions()
            .map(|f| (f.name.to_owned(), f.params.len()))
            .collect();
        functions.sort();
        let id = ScriptId(self.scripts.len());
        let spans = locate::functions(source);
        let source = source.to_owned();
        self.scripts.push(Compiled {
            owner: owner_name,
            source,
            ast,
            spans,
            functions,
        });
        self.cache.entry(owner.clone()).or_default().push(id);
        Ok(id)
    }

    /// Whether the compiled script defines `name` with `arity` parameters.
    pub fn has_function(&self, script: ScriptId, name: &str, arity: usize) -> bool {
        self.scripts.get(script.0).is_some_and(|s| s.defines(name, arity))
    }

    /// Calls a script function with JSON arguments and returns its result as JSON.
    ///
    /// Each call starts from a fresh scope and a fresh operation count; functions in the script may
    /// call each other. The random sequence carries on from call to call.
    pub fn call(&mut self, script: ScriptId, function: &str, args: &[Value]) -> Result<Value, ScriptError> {
        let compiled = self.compiled(script, function, args.len())?;
        let values = compiled.arguments(function, args)?;
        let seed_before_call = self.seed.get();
        let result = self.run(compiled, function, values).map_err(|mut error| {
            if error.kind == ScriptErrorKind::Limit && error.line.is_none() {
                let replay = Replay {
                    engine: &self.engine,
                    limits: &self.limits,
                    seed: &self.seed,
                    seed_before_call,
                    log: &self.log,
                    reads: &self.reads,
                };
                compiled.locate(&replay, function, args, &mut error);
            }
            error
        })?;
        self.plain(script, function, result)
    }

    /// A result of `function` as JSON, or a [`ScriptErrorKind::BadValue`] saying what in it is not
    /// plain data.
    pub(crate) fn plain(&self, script: ScriptId, function: &str, result: Dynamic) -> Result<Value, ScriptError> {
        value::to_json(result).map_err(|unfit| {
            let owner = self
                .scripts
                .get(script.0)
                .map_or("unknown script", |c| c.owner.as_str());
            let message = format!("the result is not plain data: {}", unfit.describe());
            ScriptError::new(owner, Some(function), ScriptErrorKind::BadValue, message)
        })
    }

    /// Calls a script function with Rhai values and keeps the result as one: the fast path for a
    /// runtime that passes a result straight back in (a fold's state). The result is not checked
    /// to be plain data, and a limit error carries no line: callers that need either go through
    /// [`Sandbox::call`], which replays the call to locate it.
    pub(crate) fn call_values<const N: usize>(
        &mut self,
        script: ScriptId,
        function: &str,
        args: [Dynamic; N],
    ) -> Result<Dynamic, ScriptError> {
        let compiled = self.compiled(script, function, N)?;
        self.run(compiled, function, args)
    }

    /// The compiled script, if it defines `function` with `arity` parameters.
    fn compiled(&self, script: ScriptId, function: &str, arity: usize) -> Result<&Compiled, ScriptError> {
        let Some(compiled) = self.scripts.get(script.0) else {
            let message = "no script was compiled under this id in this sandbox".to_owned();
            return Err(ScriptError::new(
                "unknown script",
                Some(function),
                ScriptErrorKind::MissingFunction,
                message,
            ));
        };
        if !compiled.defines(function, arity) {
            return Err(compiled.missing(function, arity));
        }
        Ok(compiled)
    }

    /// Runs `function` from a fresh scope and operation count.
    fn run(&self, compiled: &Compiled, function: &str, args: impl FuncArgs) -> Result<Dynamic, ScriptError> {
        let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
        self.reads.set(0);
        let mut fresh = Scope::new();
        let mut kept = self.scope.try_borrow_mut();
        let scope = match kept.as_deref_mut() {
            Ok(scope) => {
                scope.clear();
                scope
            }
            Err(_) => &mut fresh,
        };
        self.engine
            .call_fn_with_options::<Dynamic>(options, scope, &compiled.ast, function, args)
            .map_err(|err| ScriptError::from_eval(compiled.owner.as_str(), function, *err, &self.limits))
    }

    /// Every problem in a source, for editors that check as the user types. Rhai stops at the first
    /// syntax error, so this is at most one error today; an empty list means the source compiles.
    /// Nothing is cached or counted.
    pub fn check(&self, owner: &Owner, source: &str) -> Vec<ScriptError> {
        match self.engine.compile(source) {
            Ok(_) => Vec::new(),
            Err(err) => vec![ScriptError::from_parse(&owner.to_string(), &err, &self.limits)],
        }
    }

    /// How many compiles happened (for tests proving the cache works).
    pub fn compile_count(&self) -> u64 {
        self.compiles
    }

    /// The functions a compiled script defines, as (name, number of parameters), sorted by name.
    pub fn functions(&self, script: ScriptId) -> Vec<(String, usize)> {
        self.scripts
            .get(script.0)
            .map(|s| s.functions.clone())
            .unwrap_or_default()
    }

    /// Restarts the random sequence from `seed`, e.g. before replaying a run.
    pub fn reseed(&mut self, seed: u64) {
        self.seed.set(seed);
    }

    /// Takes the lines scripts printed with `print` or `debug` since the last call (at most 1,000 are kept).
    pub fn take_log(&mut self) -> Vec<String> {
        std::mem::take(&mut *self.log.borrow_mut())
    }

    /// The limits scripts run under.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }
}

impl fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sandbox")
            .field("limits", &self.limits)
            .field("scripts", &self.scripts.len())
            .field("compiles", &self.compiles)
            .finish_non_exhaustive()
    }
}

impl Compiled {
    /// The arguments as Rhai values, or a [`ScriptErrorKind::BadValue`] naming the one that cannot cross.
    fn arguments(&self, function: &str, args: &[Value]) -> Result<Vec<Dynamic>, ScriptError> {
        let mut values = Vec::with_capacity(args.len());
        for (i, arg) in args.iter().enumerate() {
            let value = value::to_dynamic(arg).map_err(|unfit| {
                let message = format!(
                    "argument {} cannot be passed to the script: {}",
                    i + 1,
                    unfit.describe()
                );
                ScriptError::new(&self.owner, Some(function), ScriptErrorKind::BadValue, message)
            })?;
            values.push(value);
        }
        Ok(values)
    }

    /// Fills in where a limit was hit, by replaying the call (see `locate`).
    fn locate(&self, replay: &Replay<'_>, function: &str, args: &[Value], error: &mut ScriptError) {
        let span = self
            .spans
            .iter()
            .find(|s| s.name == function && s.params.len() == args.len());
        if let Some(span) = span {
            replay.locate(&self.source, span, args, error);
        }
    }

    fn defines(&self, name: &str, arity: usize) -> bool {
        self.functions.iter().any(|(n, a)| n == name && *a == arity)
    }

    fn missing(&self, name: &str, arity: usize) -> ScriptError {
        let defined: Vec<String> = self.functions.iter().map(|(n, a)| format!("{n}/{a}")).collect();
        let listed = if defined.is_empty() {
            "it defines no functions".to_owned()
        } else {
            format!("it defines {}", defined.join(", "))
        };
        let message = format!("there is no fn {name} with {arity} parameters; {listed}");
        ScriptError::new(&self.owner, Some(name), ScriptErrorKind::MissingFunction, message)
    }
}

/// `a == b`, eight bytes at a time. Every command and every projection looks its script up here,
/// comparing whole sources, and in WebAssembly `==` on strings is a byte-by-byte `memcmp`.
fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let word = |bytes: &[u8]| <[u8; 8]>::try_from(bytes).map_or(0, u64::from_ne_bytes);
    let (mut left, mut right) = (a.chunks_exact(8), b.chunks_exact(8));
    left.by_ref().zip(right.by_ref()).all(|(x, y)| word(x) == word(y)) && left.remainder() == right.remainder()
}

#[cfg(test)]
mod tests {
    use super::same_text;

    #[test]
    fn same_text_is_string_equality() {
        let base: String = "fn decide(command, state) { [] } é".repeat(2);
        for len in 0..base.len() {
            let Some(a) = base.get(..len) else { continue };
            assert!(same_text(a, a), "equal at length {len}");
            assert!(!same_text(a, &base[..]) || len == base.len(), "prefix of length {len}");
            for at in 0..len {
                let mut bytes = a.as_bytes().to_vec();
                bytes[at] ^= 1;
                if let Ok(b) = std::str::from_utf8(&bytes) {
                    assert!(!same_text(a, b), "differs at {at} of {len}");
                }
            }
        }
    }
}
