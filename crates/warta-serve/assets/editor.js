/* warta serve: the query editor page (GET /).
 *
 * Needs /assets/vendor/yasgui.min.js loaded first (it defines window.Yasgui)
 * and a <div id="yasgui"></div>. Loads the queries of the store's queries/
 * folder from /api/queries, one YASGUI tab per file, the first one selected;
 * every request goes to this server's /sparql.
 *
 * Offline by design: nothing is fetched from anywhere but this server.
 *  - YASQE's "classes" and "properties" autocompleters query Linked Open
 *    Vocabularies (lov.linkeddata.es) as you type: both are turned off.
 *  - prefixCcApi is null, so the "prefixes" autocompleter uses the prefix list
 *    bundled in yasgui.min.js instead of fetching prefix.cc.
 *  - corsProxy is unset (it would send an ASK to every endpoint picked), and
 *    the endpoint list offers this server only (not DBpedia and Wikidata).
 *  - Nothing is kept in localStorage (persistenceId null): the tabs always are
 *    the server's query files; what an older page stored is removed.
 *  - Tabs are not restored from the URL (populateFromUrl false), so the share
 *    button, which makes such URLs, is hidden by warta.css.
 *
 * For tests: window.wartaYasgui is the Yasgui instance and
 * document.body.dataset.editorReady is "1" once the tabs exist; on failure
 * document.body.dataset.editorError holds the message instead.
 */
(function () {
  "use strict";

  var ENDPOINT = location.origin + "/sparql";
  // Autocompleters that work on the editor's text alone.
  var LOCAL_AUTOCOMPLETERS = ["prefixes", "variables"];
  // localStorage namespace YASGUI, YASQE and YASR write under ("triply").
  var YASGUI_NAMESPACE = "triply";

  function container() {
    return document.getElementById("yasgui");
  }

  function message(text, cls) {
    var el = container();
    if (!el) return;
    var p = document.createElement("p");
    p.className = cls || "muted";
    p.textContent = text;
    el.insertBefore(p, el.firstChild);
  }

  function fail(text) {
    document.body.dataset.editorError = text;
    message(text, "error");
  }

  // Remove what YASGUI stored on an earlier visit (tabs, queries, results).
  function clearPersisted() {
    var store;
    try {
      store = window.localStorage;
      if (!store) return;
    } catch (e) {
      return; // storage disabled
    }
    var doomed = [];
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (!key) continue;
      if (/^(yagui|yasgui|yasqe|yasr)_/.test(key)) {
        doomed.push(key);
        continue;
      }
      try {
        var v = JSON.parse(store.getItem(key));
        if (v && typeof v === "object" && v.namespace === YASGUI_NAMESPACE) doomed.push(key);
      } catch (e) {
        // not JSON: not YASGUI's
      }
    }
    doomed.forEach(function (k) {
      try {
        store.removeItem(k);
      } catch (e) {
        /* ignore */
      }
    });
  }

  // YASQE merges its defaults into each editor's config with lodash's merge,
  // which merges arrays index by index, so a shorter autocompleter list passed
  // in the config would keep the tail of the default one. Edit the defaults.
  function configureDefaults(Yasgui) {
    var yasqeDefaults = [Yasgui.Yasqe && Yasgui.Yasqe.defaults, Yasgui.defaults && Yasgui.defaults.yasqe];
    yasqeDefaults.forEach(function (d) {
      if (!d) return;
      var known = Yasgui.Yasqe && Yasgui.Yasqe.Autocompleters ? Yasgui.Yasqe.Autocompleters : null;
      d.autocompleters = LOCAL_AUTOCOMPLETERS.filter(function (name) {
        return !known || Object.prototype.hasOwnProperty.call(known, name);
      });
      d.prefixCcApi = null;
      d.persistenceId = null;
    });
    if (Yasgui.Yasr && Yasgui.Yasr.defaults) Yasgui.Yasr.defaults.persistenceId = null;
    // The prefix list is bundled: no need to cache it in localStorage either.
    var completers = (Yasgui.Yasqe && Yasgui.Yasqe.Autocompleters) || {};
    Object.keys(completers).forEach(function (name) {
      if (completers[name]) completers[name].persistenceId = null;
    });
  }

  function yasguiConfig() {
    return {
      persistenceId: null,
      populateFromUrl: false,
      autoAddOnInit: false,
      autofocus: false,
      corsProxy: undefined,
      copyEndpointOnNewTab: true,
      tabName: "Query",
      requestConfig: {
        endpoint: ENDPOINT,
        method: "POST",
        acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9",
        acceptHeaderGraph: "text/turtle,*/*;q=0.9",
        acceptHeaderUpdate: "text/plain,*/*;q=0.9",
      },
      endpointCatalogueOptions: {
        getData: function () {
          return [{ endpoint: ENDPOINT }];
        },
      },
      yasqe: {
        prefixCcApi: null,
        persistenceId: null,
      },
      yasr: {
        persistenceId: null,
      },
    };
  }

  async function loadQueries() {
    var res = await fetch("/api/queries", { headers: { Accept: "application/json" } });
    if (!res.ok) throw new Error("GET /api/queries: " + res.status + " " + res.statusText);
    var list = await res.json();
    if (!Array.isArray(list)) throw new Error("GET /api/queries: not a JSON array");
    return list.filter(function (q) {
      return q && typeof q.query === "string";
    });
  }

  function tabName(q) {
    if (q.name) return String(q.name);
    if (q.file) return String(q.file).replace(/\.(rq|sparql)$/i, "");
    return "Query";
  }

  // An HTML id for the tab (YASGUI uses it as the panel's element id).
  function tabId(q, i) {
    return "warta-q" + i + "-" + tabName(q).replace(/[^A-Za-z0-9_-]/g, "_");
  }

  async function start() {
    var el = container();
    if (!el) return;
    var Yasgui = window.Yasgui;
    if (typeof Yasgui !== "function") {
      fail("The query editor (yasgui.min.js) did not load.");
      return;
    }

    var queries = [];
    var loadError = null;
    try {
      queries = await loadQueries();
    } catch (e) {
      loadError = e;
    }

    clearPersisted();
    configureDefaults(Yasgui);

    var yasgui;
    try {
      yasgui = new Yasgui(el, yasguiConfig());
      if (queries.length === 0) {
        yasgui.addTab(true);
      } else {
        queries.forEach(function (q, i) {
          yasgui.addTab(i === 0, {
            id: tabId(q, i),
            name: tabName(q),
            yasqe: { value: q.query },
            requestConfig: { endpoint: ENDPOINT },
          });
        });
      }
      var first = yasgui.persistentConfig && yasgui.persistentConfig.getTabs()[0];
      if (first) yasgui.selectTabId(first);
    } catch (e) {
      fail("The query editor failed to start: " + (e && e.message ? e.message : e));
      return;
    }

    if (loadError) {
      message("Could not load the saved queries (" + loadError.message + "); write a query below.", "error");
    }
    window.wartaYasgui = yasgui;
    document.body.dataset.editorReady = "1";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
