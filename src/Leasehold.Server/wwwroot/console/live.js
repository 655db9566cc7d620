// The console's live pages. An element with data-live="URL" listens to that server-sent event stream;
// at each "changed" event the page fetches itself again and swaps that element's content for the
// fresh one: no reload, no framework, and the server stays the only place that renders the page.
(() => {
  for (const region of document.querySelectorAll('[data-live]')) {
    if (!window.EventSource) return;
    const source = new EventSource(region.dataset.live);
    let busy = false, again = false;
    const refresh = async () => {
      if (busy) { again = true; return; }
      busy = true;
      try {
        const answer = await fetch(location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
        if (answer.redirected || !answer.ok) { source.close(); location.assign(answer.url); return; } // signed out
        const fresh = new DOMParser().parseFromString(await answer.text(), 'text/html').getElementById(region.id);
        if (fresh) region.replaceChildren(...fresh.childNodes);
      } catch { /* the next event tries again */ }
      finally {
        busy = false;
        if (again) { again = false; refresh(); }
      }
    };
    source.addEventListener('changed', refresh);
    source.addEventListener('signed-out', () => { source.close(); location.reload(); });
  }
})();
