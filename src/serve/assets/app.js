// migdev serve: makes the search page live. Without this script every control is a plain
// link or form and the page works the same, one full load at a time.
"use strict";

(function () {
  const DEBOUNCE_MS = 250;
  let sequence = 0;
  let typing = false;
  let timer = null;

  function typingTarget(element) {
    return element && (element.tagName === "INPUT" || element.tagName === "TEXTAREA" ||
      element.tagName === "SELECT" || element.isContentEditable);
  }

  // "/" anywhere focuses the search box, as on many search sites.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typingTarget(document.activeElement)) return;
    const box = document.getElementById("q");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  const form = document.getElementById("search");
  if (!form) return;
  const box = document.getElementById("q");

  function addressOfForm() {
    const query = new URLSearchParams(new FormData(form));
    for (const [name, value] of Array.from(query.entries())) {
      if (value === "" || (name === "sort" && value === "relevance")) query.delete(name, value);
    }
    const text = query.toString();
    return "/" + (text ? "?" + text : "");
  }

  // Fetches the server-rendered page for an address and swaps in its live part.
  async function show(address, how) {
    const mine = ++sequence;
    let response;
    try {
      response = await fetch(address, { headers: { Accept: "text/html" } });
    } catch (error) {
      window.location.assign(address);
      return;
    }
    const html = await response.text();
    if (mine !== sequence) return; // a newer search has started
    const next = new DOMParser().parseFromString(html, "text/html");
    const live = next.getElementById("live");
    const nextForm = next.getElementById("search");
    if (!live || !nextForm) {
      window.location.assign(address);
      return;
    }
    document.getElementById("live").replaceWith(document.adoptNode(live));
    // Keep what is being typed; take the filters and sort the server wrote into the form.
    for (const hidden of Array.from(form.querySelectorAll("input[type=hidden]"))) hidden.remove();
    for (const hidden of Array.from(nextForm.querySelectorAll("input[type=hidden]"))) {
      form.appendChild(document.adoptNode(hidden));
    }
    const sort = next.getElementById("sort");
    if (sort) document.getElementById("sort").value = sort.value;
    if (how !== "typing") box.value = next.getElementById("q").value;
    document.title = next.title;
    if (how === "push") history.pushState({ live: true }, "", address);
    if (how === "replace" || how === "typing") history.replaceState({ live: true }, "", address);
  }

  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      // The first pause of a new search is a step back can return to; later ones refine it.
      const how = typing ? "typing" : "push";
      typing = true;
      show(addressOfForm(), how);
    }, DEBOUNCE_MS);
  });
  box.addEventListener("blur", function () { typing = false; });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    typing = false;
    show(addressOfForm(), "push");
  });

  document.getElementById("sort").addEventListener("change", function () {
    typing = false;
    show(addressOfForm(), "push");
  });

  // Facet values, chips, pages and chart links that stay on the search page.
  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
      event.shiftKey || event.altKey) return;
    const link = event.target.closest("a");
    if (!link || !document.getElementById("live").contains(link)) return;
    const href = link.getAttribute("href") || link.getAttribute("xlink:href");
    if (!href || !(href === "/" || href.startsWith("/?"))) return;
    event.preventDefault();
    typing = false;
    show(href, "push");
  });

  window.addEventListener("popstate", function () {
    typing = false;
    show(window.location.pathname + window.location.search, "none");
  });
})();
