/* Page viewer of the Disan portal.
 *
 * The page works without JavaScript: every page turn is a link (?page=N).
 * This script replaces the still image by OpenSeadragon showing the IIIF
 * image service of each page in sequence mode, and keeps the page panel
 * (OCR text, download link), the thumbnail strip, the page links and the
 * address bar in step. For right-to-left books the "next" control sits on
 * the left, and the left arrow key turns to the next page.
 */
(function () {
  "use strict";

  var configElement = document.getElementById("viewer-config");
  var container = document.getElementById("viewer");
  if (!configElement || !container || typeof OpenSeadragon !== "function") {
    return;
  }
  var config = JSON.parse(configElement.textContent);
  var total = config.tileSources.length;
  var rightToLeft = config.direction === "right-to-left";
  var current = config.initialPage;

  var fallback = container.querySelector(".viewer-canvas__fallback");
  if (fallback) {
    fallback.remove();
  }

  var viewer = OpenSeadragon({
    element: container,
    prefixUrl: config.prefixUrl,
    tileSources: config.tileSources,
    sequenceMode: true,
    initialPage: current,
    showSequenceControl: false,
    showReferenceStrip: false,
    showRotationControl: true,
    preserveViewport: false,
    visibilityRatio: 1,
    crossOriginPolicy: false
  });

  // Tile progress of the page shown, for tests and for anyone debugging a
  // slow image server: tiles loaded and failed since the page opened, and
  // whether every tile the view needs has arrived.
  var tiles = window.__disanTiles = {page: current, loaded: 0, failed: 0,
                                     fullyLoaded: false};

  viewer.addHandler("open", function () {
    tiles.page = current;
    tiles.loaded = 0;
    tiles.failed = 0;
    tiles.fullyLoaded = false;
  });
  viewer.addHandler("tile-loaded", function () {
    tiles.loaded += 1;
  });
  viewer.addHandler("tile-load-failed", function () {
    tiles.failed += 1;
  });
  viewer.world.addHandler("add-item", function (event) {
    event.item.addHandler("fully-loaded-change", function (change) {
      tiles.fullyLoaded = change.fullyLoaded;
    });
  });

  function pageUrl(index) {
    var params = new URLSearchParams(window.location.search);
    params.set("page", String(index + 1));
    return "?" + params.toString();
  }

  function setLink(link, index) {
    if (index >= 0 && index < total) {
      link.setAttribute("href", pageUrl(index));
      link.removeAttribute("aria-disabled");
    } else {
      link.removeAttribute("href");
      link.setAttribute("aria-disabled", "true");
    }
  }

  function showPage(index) {
    current = index;
    var number = String(index + 1);
    document.querySelectorAll(".page-panel").forEach(function (panel) {
      panel.hidden = panel.getAttribute("data-page-number") !== number;
    });
    document.querySelectorAll(".thumbnail-strip a").forEach(function (link) {
      if (link.getAttribute("data-page-number") === number) {
        link.setAttribute("aria-current", "page");
        link.scrollIntoView({block: "nearest", inline: "nearest"});
      } else {
        link.removeAttribute("aria-current");
      }
    });
    document.querySelectorAll(".page-nav__previous").forEach(function (link) {
      setLink(link, index - 1);
    });
    document.querySelectorAll(".page-nav__next").forEach(function (link) {
      setLink(link, index + 1);
    });
    document.querySelectorAll(".page-nav__position").forEach(function (span) {
      span.textContent = config.positionText
        .replace("%(number)s", number)
        .replace("%(total)s", String(total));
    });
    window.history.replaceState(null, "", pageUrl(index));
  }

  function turn(step) {
    var target = current + step;
    if (target >= 0 && target < total) {
      viewer.goToPage(target);
    }
  }

  viewer.addHandler("page", function (event) {
    showPage(event.page);
  });

  document.querySelectorAll(".page-nav a[data-step]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      turn(parseInt(link.getAttribute("data-step"), 10));
    });
  });

  document.querySelectorAll(".thumbnail-strip a").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      viewer.goToPage(parseInt(link.getAttribute("data-page-number"), 10) - 1);
    });
  });

  // Left and right arrows turn pages the way the book reads; captured
  // before OpenSeadragon, which would otherwise pan the image with them.
  function onKey(event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" ||
        event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var forward = rightToLeft ? "ArrowLeft" : "ArrowRight";
    var backward = rightToLeft ? "ArrowRight" : "ArrowLeft";
    if (event.key === forward || event.key === backward) {
      event.preventDefault();
      event.stopPropagation();
      turn(event.key === forward ? 1 : -1);
    }
  }
  container.addEventListener("keydown", onKey, true);
  document.addEventListener("keydown", function (event) {
    if (!container.contains(event.target)) {
      onKey(event);
    }
  });
})();
