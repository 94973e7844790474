// The reader's own layer over the archive, kept in this browser and sent nowhere: a reading list (a save
// button beside every paper in a list and on a paper's page; the reading-list/ page with BibTeX, JSON
// and a link that carries the ids in its fragment), "new since your last visit" on day pages and the
// home page, and keys on list pages (j/k, o or Enter, x, ?).
// The pages carry no markup for any of it: a paper in a list is found by its link (papers/<id>/), so
// without JavaScript every page is as it was. Nothing is fetched until the reader opens the reading list
// or exports it. Loaded once (deferred, from the header); Material's instant navigation swaps pages
// without running this again, and its document$ emits every page, the first one included.
(() => {
  const ID = /^[a-z0-9][a-z0-9._-]*$/; // a paper id (a folder name: outputs._SAFE_ID)
  const DAY = /^days\/(\d{4}-\d\d-\d\d)\//;
  const MAX = 10000; // papers kept at most: a huge shared link cannot fill the storage
  const GAP = 30 * 60 * 1000; // a visit ends after half an hour without a page
  const ITEMS = ".pa-papers > li, .pa-related > li, li.pa-result, .pa-rl-list > li";
  const root = siteRoot();
  // GitHub Pages project sites of one owner share an origin, so the keys name the site's path as well.
  const KEY = `paperarchive:reading-list:v1:${root.pathname}`;
  const VISIT = `paperarchive:visit:v1:${root.pathname}`;
  const fetched = new Map(); // id -> Promise of {id, data} (the kept id when renamed) or null

  function siteRoot() {
    let base = ".";
    try {
      base = JSON.parse(document.getElementById("__config").textContent).base || ".";
    } catch {}
    return new URL(String(base).replace(/\/*$/, "/"), location.href);
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ---------------------------------------------------------------- storage (anything unexpected: ignored)

  function read(key) {
    try {
      return JSON.parse(localStorage.getItem(key));
    } catch {
      return null;
    }
  }

  function write(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch {
      return false;
    }
  }

  function clean(list) {
    const seen = new Set();
    return list
      .filter((e) => e && typeof e.id === "string" && ID.test(e.id) && !seen.has(e.id) && seen.add(e.id))
      .slice(0, MAX)
      .map((e) => ({ id: e.id, t: Number.isFinite(e.t) ? e.t : 0 }));
  }

  function saved() {
    const data = read(KEY);
    return data && data.v === 1 && Array.isArray(data.papers) ? clean(data.papers) : [];
  }

  function keep(papers) {
    const ok = write(KEY, { v: 1, papers: clean(papers) });
    if (!ok) say("This browser does not let the site keep a reading list.");
    refresh();
    return ok;
  }

  function toggle(id) {
    const list = saved();
    const i = list.findIndex((e) => e.id === id);
    if (i < 0) list.push({ id, t: Date.now() });
    else list.splice(i, 1);
    return keep(list) && i < 0;
  }

  // ---------------------------------------------------------------- the site's addresses

  function sitePath(url) {
    let u;
    try {
      u = new URL(url, location.href);
    } catch {
      return null;
    }
    return u.origin === root.origin && u.pathname.startsWith(root.pathname) ? u.pathname.slice(root.pathname.length) : null;
  }

  function idOf(url) {
    const match = /^papers\/([^/]+)\/(index\.html)?$/.exec(sitePath(url) || "");
    let id = null;
    try {
      id = match && decodeURIComponent(match[1]);
    } catch {}
    return id && ID.test(id) ? id : null;
  }

  function dayOf(url) {
    const match = DAY.exec(sitePath(url) || "");
    return match ? match[1] : null;
  }

  const paperUrl = (id) => `${root}papers/${id}/`;

  // ---------------------------------------------------------------- save buttons and the header link

  function saveButton(id, label, wide) {
    const button = el("button", wide ? "pa-save pa-save--wide" : "pa-save", wide ? "Save to reading list" : undefined);
    button.type = "button";
    button.dataset.paSave = id;
    button.title = "Save to your reading list (key x)";
    if (!wide) button.setAttribute("aria-label", `Save: ${label}`);
    return button;
  }

  function decorate() {
    for (const item of document.querySelectorAll(ITEMS)) {
      if (item.dataset.paId || item.closest(".pa-rl")) continue;
      const link = item.querySelector("a[href]");
      const id = link && idOf(link.href);
      if (!id) continue;
      item.dataset.paId = id;
      item.prepend(saveButton(id, link.textContent.trim()));
    }
    const heading = document.querySelector(".pa-paper > h1");
    const id = heading && idOf(location.href);
    if (id && !document.querySelector(".pa-save--wide")) {
      const line = el("p", "pa-save-line");
      line.append(saveButton(id, "", true));
      heading.after(line);
    }
  }

  function headerLink(count) {
    const inner = document.querySelector(".md-header__inner");
    if (!inner) return;
    let link = inner.querySelector(".pa-rl-link");
    if (!link) {
      link = el("a", "md-header__button pa-rl-link");
      link.href = `${root}reading-list/`;
      link.title = "Reading list";
      const search = inner.querySelector(".pa-search");
      if (search) search.after(link);
      else inner.append(link);
    }
    link.dataset.count = count ? String(count) : "";
    link.setAttribute("aria-label", `Reading list: ${count} paper${count === 1 ? "" : "s"}`);
  }

  function refresh() {
    const ids = new Set(saved().map((e) => e.id));
    for (const button of document.querySelectorAll("[data-pa-save]")) {
      button.setAttribute("aria-pressed", String(ids.has(button.dataset.paSave)));
    }
    headerLink(ids.size);
  }

  // ---------------------------------------------------------------- new since your last visit

  // A visit remembers the newest featured day the site showed; the next visit marks the days after it.
  function markNew() {
    const state = read(VISIT) || {};
    const day = (d) => (typeof d === "string" && /^\d{4}-\d\d-\d\d$/.test(d) ? d : null);
    let prev = day(state.prev);
    let seen = day(state.seen);
    const now = Date.now();
    if (!(Number.isFinite(state.t) && now >= state.t && now - state.t < GAP)) prev = seen;
    const here = dayOf(location.href);
    for (const a of document.querySelectorAll(".md-content a[href]")) {
      const d = dayOf(a.href);
      if (d && (!seen || d > seen)) seen = d;
    }
    if (here && (!seen || here > seen)) seen = here;
    write(VISIT, { v: 1, prev, seen, t: now });
    if (!prev) return;
    if (here && here > prev) document.querySelectorAll(".pa-papers > li").forEach(markItem);
    const latest = document.querySelector(".pa-home #latest a");
    if (latest && dayOf(latest.href) > prev) document.querySelectorAll(".pa-home .pa-papers > li").forEach(markItem);
    for (const a of document.querySelectorAll(".pa-latest a")) if (dayOf(a.href) > prev) markItem(a.parentElement);
  }

  function markItem(item) {
    const link = item.querySelector("a[href]");
    if (!link || item.querySelector(".pa-new")) return;
    const badge = el("span", "pa-new", "new");
    badge.title = "Featured since your last visit";
    link.after(" ", badge);
  }

  // ---------------------------------------------------------------- keys on list pages

  // The live region exists before its first message: a screen reader announces changes to a region it knows.
  function liveRegion() {
    let live = document.querySelector(".pa-live");
    if (!live) {
      live = el("div", "pa-live");
      live.setAttribute("role", "status");
      live.setAttribute("aria-live", "polite");
      document.body.append(live);
    }
    return live;
  }

  const say = (text) => {
    liveRegion().textContent = text;
  };

  const typing = (t) => t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  const items = () => [...document.querySelectorAll(ITEMS)].filter((li) => li.dataset.paId && li.getClientRects().length);
  const titleOf = (item) => (item.querySelector("a[href]") || item).textContent.trim();

  function onKey(event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "?") {
      event.preventDefault();
      keysHelp();
      return;
    }
    if (document.querySelector("dialog.pa-keys[open]")) return;
    const list = items();
    const current = list.findIndex((li) => li.contains(document.activeElement));
    if (event.key === "j" || event.key === "k") {
      if (!list.length) return;
      event.preventDefault();
      const i = event.key === "j" ? Math.min(current + 1, list.length - 1) : Math.max(current - 1, 0);
      const item = list[i];
      item.tabIndex = -1;
      item.focus({ preventScroll: true });
      item.scrollIntoView({ block: "nearest" });
      const isSaved = saved().some((e) => e.id === item.dataset.paId);
      say(`${i + 1} of ${list.length}: ${titleOf(item)}${isSaved ? " (saved)" : ""}`);
    } else if (current >= 0 && (event.key === "o" || (event.key === "Enter" && event.target === list[current]))) {
      event.preventDefault();
      list[current].querySelector("a[href]").click();
    } else if (current >= 0 && event.key === "x") {
      event.preventDefault();
      const remove = list[current].querySelector("[data-pa-remove]");
      if (remove) return remove.click();
      const on = toggle(list[current].dataset.paId);
      say(`${on ? "Saved to" : "Removed from"} your reading list: ${titleOf(list[current])}`);
    }
  }

  function keysHelp() {
    let dialog = document.querySelector("dialog.pa-keys");
    if (dialog && dialog.open) return dialog.close();
    if (!dialog) {
      dialog = el("dialog", "pa-keys md-typeset");
      dialog.setAttribute("aria-labelledby", "pa-keys-title");
      const title = el("h2", "", "Keys on list pages");
      title.id = "pa-keys-title";
      const keys = el("dl");
      for (const [key, what] of [
        ["j / k", "next / previous paper"],
        ["o or Enter", "open the paper"],
        ["x", "save to (or remove from) your reading list"],
        ["/ or s", "search"],
        ["?", "show or hide these keys"],
      ]) keys.append(el("dt", "", key), el("dd", "", what));
      const more = el("a", "", "About the reading list and keys");
      more.href = `${root}about/#reading-list-and-keys`;
      const form = el("form");
      form.method = "dialog";
      form.append(el("button", "md-button", "Close"));
      dialog.append(title, keys, el("p", "", ""), form);
      dialog.querySelector("p").append(more);
      document.body.append(dialog);
    }
    dialog.showModal();
  }

  // ---------------------------------------------------------------- the reading-list page

  // {id, data} of a paper's api/papers/<id>.json; a retired id follows its redirect page; null: gone.
  function paper(id) {
    if (!fetched.has(id)) fetched.set(id, load(id, true));
    return fetched.get(id);
  }

  async function load(id, follow) {
    try {
      const answer = await fetch(`${root}api/papers/${id}.json`);
      if (answer.ok) return { id, data: await answer.json() };
      if (!follow) return null;
      const page = await fetch(paperUrl(id));
      const moved = page.ok && /url=\.\.\/([a-z0-9][a-z0-9._-]*)\/"/.exec(await page.text());
      return moved && moved[1] !== id ? load(moved[1], false) : null;
    } catch {
      return null;
    }
  }

  const sharedIds = () => {
    const match = /^#papers=([^&]*)/.exec(location.hash);
    const decoded = (id) => {
      try {
        return { id: decodeURIComponent(id) };
      } catch {
        return null; // a malformed escape: not an id
      }
    };
    return match ? clean(match[1].split(",").map(decoded)).map((e) => e.id) : [];
  };

  function firstSentence(text) {
    const flat = String(text || "").split(/\s+/).filter(Boolean).join(" ");
    const end = /(?<=[.!?])\s+(?=["'(\[]?[A-Z0-9])/.exec(flat);
    const sentence = end ? flat.slice(0, end.index) : flat;
    return sentence.length > 280 ? `${sentence.slice(0, 280).replace(/\s+\S*$/, "")}…` : sentence;
  }

  function paperItem(id, removable) {
    const item = el("li");
    const link = el("a", "", id);
    link.href = paperUrl(id);
    item.append(link);
    if (removable) {
      item.dataset.paId = id;
      const remove = el("button", "pa-rl-remove", "Remove");
      remove.type = "button";
      remove.dataset.paRemove = id;
      item.prepend(remove);
    }
    paper(id).then((found) => fill(item, link, found));
    return item;
  }

  function fill(item, link, found) {
    if (!found) {
      item.classList.add("pa-rl-gone");
      link.after(" ", el("span", "pa-date", "is no longer in the archive"));
      return;
    }
    const data = found.data || {};
    link.textContent = String(data.title || found.id);
    link.href = paperUrl(found.id);
    const parts = [" ", el("span", "pa-date", String(data.published || "undated"))];
    const sentence = firstSentence(data.abstract);
    if (sentence) parts.push(el("br"), el("bdi", "", sentence));
    if (data.organization) parts.push(el("br"), el("span", "pa-topics", String(data.organization)));
    link.after(...parts);
    const remove = item.querySelector("[data-pa-remove]");
    if (remove) remove.setAttribute("aria-label", `Remove: ${link.textContent}`);
  }

  // Renamed papers: the stored id becomes the kept one (once, in place; a duplicate goes).
  async function resolved() {
    const list = saved();
    const found = await Promise.all(list.map((e) => paper(e.id)));
    const renamed = list.map((e, i) => (found[i] && found[i].id !== e.id ? { ...e, id: found[i].id } : e));
    if (renamed.some((e, i) => e.id !== list[i].id)) keep(renamed);
    return found.filter(Boolean);
  }

  function download(name, text, type) {
    const link = el("a");
    link.href = URL.createObjectURL(new Blob([text], { type }));
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
  }

  async function exportBibtex() {
    const found = await resolved();
    const texts = await Promise.all(found.map(({ id }) =>
      fetch(`${root}papers/${id}/${id}.bib`).then((r) => (r.ok ? r.text() : ""), () => "")));
    const entries = texts.filter((t) => t.trim()).map((t) => `${t.trim()}\n`);
    download("reading-list.bib", entries.join("\n"), "application/x-bibtex;charset=utf-8");
    say(`BibTeX of ${entries.length} paper${entries.length === 1 ? "" : "s"} downloaded`);
  }

  async function exportJson() {
    const found = await resolved();
    const when = new Map(saved().map((e) => [e.id, e.t]));
    const papers = found.map(({ id, data }) => ({
      id, title: data.title ?? null, url: paperUrl(id), saved: when.get(id) ? new Date(when.get(id)).toISOString() : null,
    }));
    download("reading-list.json", `${JSON.stringify({ format: "paperarchive reading list", version: 1, site: root.href, papers }, null, 1)}\n`, "application/json");
  }

  function shareLink(box) {
    const url = `${root}reading-list/#papers=${saved().map((e) => e.id).join(",")}`;
    let field = box.querySelector(".pa-rl-share input");
    if (!field) {
      const label = el("label", "pa-rl-share", "Link to this list: ");
      field = el("input");
      field.readOnly = true;
      label.append(field);
      box.querySelector(".pa-rl-tools").after(label);
    }
    field.value = url;
    field.select();
    const copied = navigator.clipboard ? navigator.clipboard.writeText(url) : Promise.reject();
    copied.then(() => say("Link copied"), () => say("Copy the link shown below the buttons"));
  }

  function button(text, action) {
    const b = el("button", "md-button", text);
    b.type = "button";
    b.dataset.paAction = action;
    return b;
  }

  function renderList() {
    const box = document.querySelector("[data-pa-reading-list]");
    if (!box) return;
    box.replaceChildren();
    const shared = sharedIds();
    if (shared.length) {
      const offer = el("section", "pa-rl-import");
      offer.setAttribute("aria-label", "Shared reading list");
      const text = el("p", "", `This link shares a reading list of ${shared.length} paper${shared.length === 1 ? "" : "s"}. `);
      offer.append(text, el("p", "pa-rl-tools"), el("ol", "pa-papers pa-rl-preview"));
      offer.lastChild.append(...shared.map((id) => paperItem(id, false)));
      offer.children[1].append(button("Add them to your reading list", "import"), " ", button("Not now", "dismiss"));
      box.append(offer);
      return;
    }
    const list = saved();
    if (!list.length) {
      box.append(el("p", "", "Your reading list is empty."));
      return;
    }
    const tools = el("p", "pa-rl-tools");
    tools.append(button("Download BibTeX", "bibtex"), " ", button("Download JSON", "json"), " ", button("Share link", "share"));
    const papers = el("ol", "pa-papers pa-rl-list");
    papers.append(...list.map((e) => paperItem(e.id, true)));
    box.append(el("p", "pa-rl-count", `${list.length} paper${list.length === 1 ? "" : "s"}, in the order you saved them.`), tools, papers);
    resolved().then(() => {
      const now = saved();
      if (now.length !== list.length || now.some((e, i) => e.id !== list[i].id)) renderList(); // a paper was renamed
    });
  }

  function leaveShared() {
    history.replaceState(history.state, "", location.pathname + location.search);
  }

  function onClick(event) {
    const target = event.target.closest && event.target.closest("[data-pa-save], [data-pa-remove], [data-pa-action]");
    if (!target) return;
    if (target.dataset.paSave) {
      const on = toggle(target.dataset.paSave);
      say(on ? "Saved to your reading list" : "Removed from your reading list");
    } else if (target.dataset.paRemove) {
      const id = target.dataset.paRemove;
      keep(saved().filter((e) => e.id !== id));
      const item = target.closest("li");
      const next = item.nextElementSibling || item.previousElementSibling;
      item.remove();
      say("Removed from your reading list");
      if (next) next.querySelector("button, a").focus();
      else renderList();
    } else {
      const action = target.dataset.paAction;
      if (action === "import") {
        const list = saved();
        const have = new Set(list.map((e) => e.id));
        const added = sharedIds().filter((id) => !have.has(id));
        const now = Date.now();
        keep(list.concat(added.map((id, i) => ({ id, t: now + i }))));
        leaveShared();
        renderList();
        say(`Added ${added.length} paper${added.length === 1 ? "" : "s"} to your reading list`);
      } else if (action === "dismiss") {
        leaveShared();
        renderList();
      } else if (action === "bibtex") exportBibtex();
      else if (action === "json") exportJson();
      else if (action === "share") shareLink(target.closest("[data-pa-reading-list]"));
    }
  }

  // ---------------------------------------------------------------- wiring

  function onPage() {
    liveRegion();
    decorate();
    refresh();
    markNew();
    renderList();
  }

  document.addEventListener("click", onClick);
  document.addEventListener("keydown", onKey);
  window.addEventListener("pa-search:page-results", () => {
    decorate();
    refresh();
  });
  window.addEventListener("storage", (event) => {
    if (event.key !== KEY) return;
    refresh();
    if (!sharedIds().length) renderList();
  });
  window.addEventListener("hashchange", renderList);
  if (window.document$) window.document$.subscribe(onPage);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onPage);
  else onPage();
})();
