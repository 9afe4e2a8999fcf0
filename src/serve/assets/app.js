// migdev serve: makes the search page live. Without this script every control is a plain
// link or form and the server renders the whole page, one full load at a time. With it, a
// search asks the JSON API (/api/search, the same parameters as the page's address) and
// draws the results, notes, filters and facet counts from its answer with DOM methods
// (record text only ever goes into text nodes); the pictures, server-rendered SVG, come
// from /fragments/pictures.
"use strict";

(function () {
  const DEBOUNCE_MS = 250;
  // As the server's page shows them (src/serve/search_page.rs and engine.rs).
  const SHOWN_VALUES = 8;
  const SHOWN_COUNTRIES = 4;
  const FACET_TOP = 300;
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
  if (!form || !document.getElementById("live")) return;
  const box = document.getElementById("q");
  // The sidebar's dimensions and headings, in order, as the server wrote them.
  const dimensions = Array.from(document.querySelectorAll("nav.facets h3[id^='facet-']"))
    .map(function (heading) {
      return { param: heading.id.slice("facet-".length), title: heading.textContent };
    });

  // An element with attributes and children; strings become text nodes, never markup.
  function el(tag, attributes, children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") element.className = value;
      else element.setAttribute(name, value);
    }
    for (const child of children || []) {
      if (child !== null && child !== undefined) element.append(child);
    }
    return element;
  }

  function paramsOf(address) {
    const at = address.indexOf("?");
    return new URLSearchParams(at < 0 ? "" : address.slice(at + 1));
  }

  function addressOf(params) {
    const text = params.toString();
    return "/" + (text ? "?" + text : "");
  }

  function firstPage(params) {
    const next = new URLSearchParams(params);
    next.delete("page");
    next.delete("offset");
    return next;
  }

  // The search with one filter value added, or removed when present; back to page 1.
  function toggled(params, name, value) {
    const next = firstPage(params);
    const values = next.getAll(name);
    next.delete(name);
    const kept = values.filter(function (v) { return v !== value; });
    if (kept.length === values.length) kept.push(value);
    for (const v of kept) next.append(name, v);
    return next;
  }

  function onPage(params, page) {
    const next = firstPage(params);
    if (page > 1) next.set("page", String(page));
    return next;
  }

  function addressOfForm() {
    const query = new URLSearchParams(new FormData(form));
    for (const [name, value] of Array.from(query.entries())) {
      if (value === "" || (name === "sort" && value === "relevance")) query.delete(name, value);
    }
    return addressOf(query);
  }

  function same(a, b) {
    return a.toLowerCase() === b.toLowerCase();
  }

  // "no year" among the decades is a count, not a filter.
  function filterable(param, value) {
    return param !== "decade" || (/^-?\d+0s$/).test(value);
  }

  function valueLabel(facets, param, value) {
    for (const count of facets[param] || []) {
      for (const c of [count].concat(count.children || [])) {
        if (same(c.value, value)) return c.label;
      }
    }
    return value;
  }

  function noun(n, word) {
    return n === 1 ? "1 " + word : n + " " + word + "s";
  }

  function notes(answer) {
    // Warnings about the catalogue already show at the top of the page.
    const shown = Array.from(document.querySelectorAll("p.warning")).map(function (p) {
      return p.textContent;
    });
    const items = answer.notes.filter(function (note) { return !shown.includes(note.text); })
      .map(function (note) {
        return el("li", { class: note.level === "warning" ? "note-warning" : null }, [note.text]);
      });
    return items.length ? el("ul", { class: "notes" }, items) : null;
  }

  function chips(params, facets) {
    const items = [];
    for (const dimension of dimensions) {
      for (const value of params.getAll(dimension.param)) {
        const label = dimension.title + ": " + valueLabel(facets, dimension.param, value);
        items.push([label, addressOf(toggled(params, dimension.param, value))]);
      }
    }
    for (const name of ["since", "until"]) {
      if (!params.has(name)) continue;
      const next = firstPage(params);
      next.delete(name);
      items.push([name + " " + params.get(name), addressOf(next)]);
    }
    if (!items.length) return null;
    const cleared = new URLSearchParams();
    if (params.get("q")) cleared.set("q", params.get("q"));
    if (params.get("sort")) cleared.set("sort", params.get("sort"));
    const list = items.map(function ([label, href]) {
      return el("li", {}, [el("a", { class: "chip", href: href, "aria-label": "Remove filter " + label },
        [label, el("span", { "aria-hidden": "true" }, [" ×"])])]);
    });
    list.push(el("li", {}, [el("a", { class: "clear", href: addressOf(cleared) }, ["Clear all filters"])]));
    return el("ul", { class: "chips", "aria-label": "Active filters" }, list);
  }

  function values(params, param, counts) {
    return el("ul", {}, counts.map(function (count) {
      const on = params.getAll(param).some(function (v) { return same(v, count.value); });
      const label = el("span", { class: "label" }, [count.label]);
      const number = el("span", { class: "count" }, [String(count.count)]);
      const value = filterable(param, count.value)
        ? el("a", {
          class: on ? "value on" : "value",
          href: addressOf(toggled(params, param, count.value)),
          "aria-current": on ? "true" : null,
        }, [
          el("span", { class: "check", "aria-hidden": "true" }, [on ? "☑" : "☐"]),
          label,
          on ? el("span", { class: "visually-hidden" }, [" (selected; select again to remove)"]) : null,
          number,
        ])
        : el("span", { class: "value fixed" }, [label, number]);
      const children = count.children && count.children.length
        ? values(params, param, count.children) : null;
      return el("li", {}, [value, children]);
    }));
  }

  function sidebar(params, facets) {
    const sections = dimensions.filter(function (d) { return facets[d.param]; }).map(function (d) {
      const counts = facets[d.param];
      const body = !counts.length ? [el("p", { class: "none" }, ["none"])] : [
        values(params, d.param, counts.slice(0, SHOWN_VALUES)),
        counts.length > SHOWN_VALUES ? el("details", {}, [
          el("summary", {}, [(counts.length - SHOWN_VALUES) + " more"]),
          values(params, d.param, counts.slice(SHOWN_VALUES)),
        ]) : null,
      ];
      return el("section", { class: "facet", "aria-labelledby": "facet-" + d.param },
        [el("h3", { id: "facet-" + d.param }, [d.title])].concat(body));
    });
    return el("nav", { class: "facets", "aria-label": "Filters" },
      [el("h2", { class: "visually-hidden" }, ["Filters"])].concat(sections));
  }

  function summary(params, answer) {
    const first = answer.offset + 1;
    const last = answer.offset + answer.results.length;
    let heading;
    if (answer.total === 0) heading = "No matching records";
    else if (!answer.results.length) heading = "No records on this page (" + answer.total + " in all)";
    else heading = "Showing " + first + "–" + last + " of " + noun(answer.total, "matching record");
    const all = firstPage(params);
    all.delete("limit");
    const downloads = answer.total > 0 ? el("p", { class: "downloads" }, [
      "Download these results: ",
      el("a", { href: "/api/export.csv?" + all.toString(), download: "" }, ["CSV"]),
      " · ",
      el("a", { href: "/api/export.jsonl?" + all.toString(), download: "" }, ["JSON Lines"]),
    ]) : null;
    return el("div", { class: "summary" }, [el("h2", { id: "results-heading" }, [heading]), downloads]);
  }

  // The snippet with its matched words in <mark>; highlights are byte ranges of UTF-8.
  function snippet(found) {
    const bytes = new TextEncoder().encode(found.text);
    const decoder = new TextDecoder();
    const pieces = [];
    let at = 0;
    for (const range of found.highlights || []) {
      const start = Math.max(range.start, at);
      const end = Math.min(range.end, bytes.length);
      if (start >= end) continue;
      pieces.push(decoder.decode(bytes.subarray(at, start)));
      pieces.push(el("mark", {}, [decoder.decode(bytes.subarray(start, end))]));
      at = end;
    }
    pieces.push(decoder.decode(bytes.subarray(at)));
    return pieces;
  }

  function years(record) {
    const [start, end] = [record.start_year, record.end_year];
    if (start !== null && end !== null) return start === end ? String(start) : start + "-" + end;
    if (start !== null) return start + "-";
    if (end !== null) return "-" + end;
    return "";
  }

  function hit(record) {
    const countries = record.countries || [];
    const names = record.country_names || [];
    const meta = [el("span", { class: "id" }, [record.id])];
    for (const label of record.sector_labels || []) meta.push(el("span", { class: "sector" }, [label]));
    if (countries.length) {
      const shown = [];
      countries.slice(0, SHOWN_COUNTRIES).forEach(function (code, i) {
        if (i > 0) shown.push(", ");
        shown.push(el("abbr", { title: names[i] || code }, [code]));
      });
      if (countries.length > SHOWN_COUNTRIES) {
        shown.push(" and " + (countries.length - SHOWN_COUNTRIES) + " more");
      }
      meta.push(el("span", { class: "countries" }, shown));
    }
    const span = years(record);
    if (span) meta.push(el("span", { class: "years" }, [span]));
    const href = "/records/" + encodeURIComponent(record.id);
    return el("li", { class: "hit" }, [
      el("h3", {}, [el("a", { href: href }, [record.title])]),
      el("p", { class: "meta" }, meta),
      el("p", { class: "snippet" }, record.snippet ? snippet(record.snippet) : [record.summary]),
      el("a", { class: "similar", href: href + "#similar" }, ["Similar records"]),
    ]);
  }

  function pages(params, answer) {
    const count = Math.max(1, Math.ceil(answer.total / answer.limit));
    const current = Math.floor(answer.offset / answer.limit) + 1;
    if (count <= 1 && current === 1) return null;
    const shown = [];
    for (let page = 1; page <= count; page++) {
      if (page === 1 || page === count || Math.abs(page - current) <= 2) shown.push(page);
    }
    const links = [];
    if (current > 1) {
      links.push(el("a", { rel: "prev", href: addressOf(onPage(params, current - 1)) }, ["← Previous"]));
    }
    shown.forEach(function (page, i) {
      if (i > 0 && page - shown[i - 1] > 1) links.push(el("span", { class: "gap" }, ["…"]));
      links.push(page === current
        ? el("span", { class: "current", "aria-current": "page" }, [String(page)])
        : el("a", { href: addressOf(onPage(params, page)), "aria-label": "Page " + page }, [String(page)]));
    });
    if (current < count) {
      links.push(el("a", { rel: "next", href: addressOf(onPage(params, current + 1)) }, ["Next →"]));
    }
    return el("nav", { class: "pages", "aria-label": "Pages of results" }, links);
  }

  // Redraws the live part of the page from an /api/search answer; the pictures stay until
  // their fragment arrives.
  function draw(params, answer) {
    const live = document.getElementById("live");
    const pictures = document.getElementById("pictures");
    const main = el("main", { id: "main" }, [
      summary(params, answer),
      el("ol", { class: "hits", "aria-labelledby": "results-heading" }, answer.results.map(hit)),
      pages(params, answer),
      pictures,
    ]);
    live.replaceChildren(...[
      notes(answer),
      chips(params, answer.facets),
      el("div", { class: "layout" }, [sidebar(params, answer.facets), main]),
    ].filter(Boolean));
    live.dataset.drawnFrom = "api";
  }

  // The filters, sort and box of the form as the address says.
  function syncForm(params, how) {
    for (const hidden of Array.from(form.querySelectorAll("input[type=hidden]"))) hidden.remove();
    for (const [name, value] of params.entries()) {
      if (["q", "sort", "page", "offset"].includes(name)) continue;
      form.appendChild(el("input", { type: "hidden", name: name, value: value }));
    }
    document.getElementById("sort").value = params.get("sort") || "relevance";
    if (how !== "typing") box.value = params.get("q") || "";
    const q = params.get("q");
    document.title = (q ? q + " – search" : "Search") + " · migdev";
  }

  async function refreshPictures(params, mine) {
    try {
      const response = await fetch("/fragments/pictures?" + params.toString());
      if (!response.ok) return;
      const html = await response.text();
      if (mine !== sequence) return;
      const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("pictures");
      const current = document.getElementById("pictures");
      if (fresh && current) current.replaceWith(document.adoptNode(fresh));
    } catch (error) {
      // The pictures keep showing the previous search; the results are current.
    }
  }

  // Runs the search of a page address through the API and draws it.
  async function show(address, how) {
    const mine = ++sequence;
    const params = paramsOf(address);
    const api = new URLSearchParams(params);
    api.set("top", String(FACET_TOP));
    let answer;
    try {
      const response = await fetch("/api/search?" + api.toString(), {
        headers: { Accept: "application/json" },
      });
      // A bad parameter: the server's page explains it.
      if (!response.ok) throw new Error("HTTP " + response.status);
      answer = await response.json();
    } catch (error) {
      window.location.assign(address);
      return;
    }
    if (mine !== sequence) return; // a newer search has started
    draw(params, answer);
    syncForm(params, how);
    if (how === "push") history.pushState({ live: true }, "", address);
    if (how === "replace" || how === "typing") history.replaceState({ live: true }, "", address);
    refreshPictures(params, mine);
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
