// Registers the service worker (sw.js) and, when a newer version of the app is installed and
// waiting, says so with a button that switches to it. Nothing is lost by switching: the app
// saves on the way out. Loaded as a file, so the Content-Security-Policy needs no inline script.
(() => {
  if (!('serviceWorker' in navigator) || location.protocol === 'file:') return;

  function offer(worker) {
    if (document.querySelector('.update-banner')) return;
    const banner = document.createElement('div');
    banner.className = 'update-banner';
    banner.setAttribute('role', 'status');
    const text = document.createElement('span');
    text.textContent = 'A newer version of Eventarium is available.';
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'primary';
    button.textContent = 'Reload to update';
    button.addEventListener('click', () => {
      button.disabled = true;
      worker.postMessage('switch');
    });
    banner.append(text, button);
    document.body.append(banner);
  }

  let reloading = false;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    // Only a switch the user asked for reloads: the first install takes over without one.
    if (reloading || !document.querySelector('.update-banner button:disabled')) return;
    reloading = true;
    location.reload();
  });

  window.addEventListener('load', async () => {
    try {
      // Offline, the worker already installed serves the page; asking for a newer one would only
      // fail to reach the network.
      const registration =
        (!navigator.onLine && (await navigator.serviceWorker.getRegistration())) ||
        (await navigator.serviceWorker.register('sw.js'));
      const watch = (worker) => {
        worker.addEventListener('statechange', () => {
          if (worker.state === 'installed' && navigator.serviceWorker.controller) offer(worker);
        });
      };
      if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
      if (registration.installing) watch(registration.installing);
      registration.addEventListener('updatefound', () => watch(registration.installing));
    } catch (error) {
      console.warn(`Eventarium works online only: the service worker could not be registered (${error})`);
    }
  });
})();
