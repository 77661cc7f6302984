// window.Eventarium in the browser console: the JavaScript API (EventStore, Simulation, System),
// a module of its own that loads on first use, so that the page itself loads without it.
// `await Eventarium.ready` loads it; using a class before then starts the load and says so.
(() => {
  let module = null;
  let loading = null;
  const load = () => {
    loading ??= import('./console/eventarium.js').then(async (loaded) => {
      await loaded.default();
      module = loaded;
      return api;
    });
    return loading;
  };
  const api = {};
  Object.defineProperty(api, 'ready', { get: load, enumerable: true });
  for (const name of ['EventStore', 'Simulation', 'System']) {
    Object.defineProperty(api, name, {
      enumerable: true,
      get() {
        if (module) return module[name];
        load();
        throw new Error(`The console API is loading: run \`await Eventarium.ready\`, then use Eventarium.${name}.`);
      },
    });
  }
  window.Eventarium = api;
})();
