/* The staff calendar's time grid (docs/decisions/0401-0409).
 *
 * Replaces the day's or week's lists with @event-calendar's resource time grid when
 * JavaScript runs. Times are the location's wall clock: the feed sends them without an
 * offset and the grid runs in UTC, so a Date's UTC fields are the clinic's time wherever
 * the browser is. The server decides every change; a refusal is said in words in the
 * status line (aria-live) and the appointment snaps back.
 */
(function () {
  "use strict";

  var root = document.getElementById("calendar-grid");
  if (!root || typeof window.EventCalendar === "undefined") {
    return; // the lists stay: the page works as without JavaScript
  }
  var config = JSON.parse(root.getAttribute("data-config"));
  var statusLine = document.getElementById("calendar-status");
  var card = document.getElementById("calendar-card");
  var closures = document.getElementById("calendar-closures");
  var legend = document.getElementById("calendar-legend-services");
  var columns = config.columns;
  var openCard = null;
  var loads = 0;

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }
  function isoDay(d) {
    return d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate());
  }
  function wallClock(d) {
    return isoDay(d) + "T" + pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes());
  }
  function csrfToken() {
    var input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function say(message, isError) {
    statusLine.textContent = message;
    statusLine.classList.toggle("error", Boolean(isError));
  }
  function range() {
    var first = new Date(config.date + "T00:00:00Z");
    if (config.view === "week") {
      first.setUTCDate(first.getUTCDate() - ((first.getUTCDay() + 6) % 7));
      var last = new Date(first);
      last.setUTCDate(last.getUTCDate() + 6);
      return [isoDay(first), isoDay(last)];
    }
    return [isoDay(first), isoDay(first)];
  }

  function text(tag, className, value) {
    var el = document.createElement(tag);
    if (className) {
      el.className = className;
    }
    el.textContent = value;
    return el;
  }

  function eventContent(info) {
    var props = info.event.extendedProps || {};
    if (info.event.display === "background") {
      return { domNodes: [] };
    }
    var who = text("span", "np-who", info.event.title);
    var when = text("span", "np-time", info.timeText);
    // The week's columns are narrow: the name first, and no service (the colour says it).
    var nodes = config.view === "week" ? [who, when] : [when, who, text("span", "np-what", props.service || "")];
    if (props.state && props.state !== "booked") {
      nodes.push(text("span", "np-state", props.stateLabel));
    }
    return { domNodes: nodes };
  }

  var calendar = window.EventCalendar.create(document.getElementById("calendar-mount"), {
    view: config.view === "week" ? "resourceTimeGridWeek" : "resourceTimeGridDay",
    date: config.date,
    timeZone: "UTC",
    locale: "en-GB", // "9:30 am", "Thursday 3 December"
    dayHeaderFormat:
      config.view === "week"
        ? { weekday: "short", day: "numeric", month: "short" }
        : { weekday: "long", day: "numeric", month: "long" },
    firstDay: 1,
    headerToolbar: { start: "", center: "", end: "" },
    allDaySlot: false,
    nowIndicator: false,
    slotDuration: "00:15",
    slotHeight: 28, // three lines fit in a half-hour visit
    slotLabelInterval: "01:00",
    scrollTime: "08:00",
    height: "auto",
    editable: true,
    eventStartEditable: true,
    eventDurationEditable: false,
    selectable: false,
    datesAboveResources: true,
    slotLabelFormat: { hour: "numeric", minute: "2-digit", hour12: true },
    eventTimeFormat: { hour: "numeric", minute: "2-digit", hour12: true },
    resources: [],
    events: [],
    eventContent: eventContent,
    dateClick: function (info) {
      book(info);
    },
    eventClick: function (info) {
      if (info.event.display !== "background") {
        showCard(info.event.extendedProps.card);
      }
    },
    eventDrop: function (info) {
      move(info);
    },
  });

  /* The library marks the grid up as an ARIA table whose rows also hold <aside> sidebars
   * and the appointment buttons, which a table may not contain (axe-core: critical). The
   * grid is a drawing for the eye and the mouse; its appointments stay buttons with their
   * words, and the list (linked above the grid) is the table-like view for a screen
   * reader. So the table roles are taken off after every render. */
  var mount = document.getElementById("calendar-mount");
  function repairAria() {
    mount.querySelectorAll("[role=table],[role=rowgroup],[role=row],[role=cell],[role=columnheader],[aria-colspan],[aria-colindex]")
      .forEach(function (el) {
        el.removeAttribute("role");
        el.removeAttribute("aria-colindex");
        el.removeAttribute("aria-colspan");
      });
    mount.querySelectorAll("aside:not([role])").forEach(function (el) {
      el.setAttribute("role", "presentation");
    });
  }
  new MutationObserver(repairAria).observe(mount, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["role", "aria-colspan", "aria-colindex"],
  });
  repairAria();

  function book(info) {
    var props = (info.resource && info.resource.extendedProps) || {};
    var params = new URLSearchParams();
    var start = info.dateStr ? info.dateStr.slice(0, 16) : wallClock(info.date);
    params.set("start", start);
    params.set("date", start.slice(0, 10));
    params.set("location", config.location);
    var prefill = props.book || {};
    Object.keys(prefill).forEach(function (key) {
      params.set(key, prefill[key]);
    });
    window.location.assign(config.book + "?" + params.toString());
  }

  function refresh() {
    var dates = range();
    var params = new URLSearchParams({
      start: dates[0],
      end: dates[1],
      location: config.location,
      columns: columns,
    });
    root.setAttribute("aria-busy", "true");
    return fetch(config.feed + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("feed");
        }
        return response.json();
      })
      .then(function (feed) {
        calendar.setOption("slotMinTime", feed.slotMinTime);
        calendar.setOption("slotMaxTime", feed.slotMaxTime);
        calendar.setOption("hiddenDays", feed.hiddenDays);
        calendar.setOption("resources", feed.resources);
        calendar.setOption("events", feed.events);
        drawLegend(feed.services);
        drawClosures(feed.closures);
        loads += 1; // tests wait for a redraw by this count
        root.setAttribute("data-loaded", String(loads));
      })
      .catch(function () {
        say("The calendar could not be loaded. Reload the page, or use the list.", true);
      })
      .finally(function () {
        root.removeAttribute("aria-busy");
      });
  }

  function drawLegend(services) {
    legend.replaceChildren();
    services.forEach(function (service) {
      var item = document.createElement("li");
      var swatch = text("span", "swatch np-svc-" + service.colour, "");
      swatch.setAttribute("aria-hidden", "true");
      item.append(swatch, " " + service.name);
      legend.append(item);
    });
  }

  function drawClosures(days) {
    closures.replaceChildren();
    days.forEach(function (closure) {
      var when = new Date(closure.date + "T00:00:00Z").toLocaleDateString("en-GB", {
        weekday: "long",
        day: "numeric",
        month: "long",
        timeZone: "UTC",
    locale: "en-GB", // "9:30 am", "Thursday 3 December"
    dayHeaderFormat:
      config.view === "week"
        ? { weekday: "short", day: "numeric", month: "short" }
        : { weekday: "long", day: "numeric", month: "long" },
      });
      closures.append(text("li", "", "Closed on " + when + ": " + closure.reason));
    });
  }

  function postJson(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        "X-CSRFToken": csrfToken(),
      },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return { ok: false, message: "The server could not answer; try again." };
        })
        .then(function (answer) {
          answer.ok = response.ok && answer.ok !== false;
          return answer;
        });
    });
  }

  function move(info) {
    var resource = info.newResource ? info.newResource.id : (info.event.resourceIds || [])[0];
    say("Moving " + info.event.title + "…");
    postJson(config.move.replace("/0/", "/" + info.event.id + "/"), {
      start: wallClock(info.event.start),
      resource: resource,
    })
      .then(function (answer) {
        if (!answer.ok) {
          info.revert();
          say("Not moved: " + answer.message, true);
          refresh(); // redraw from what the server holds
          return;
        }
        say(answer.message);
        refresh();
      })
      .catch(function () {
        info.revert();
        say("Not moved: the server could not be reached.", true);
      });
  }

  function showCard(url) {
    openCard = url;
    fetch(url + "?part=1&next=" + encodeURIComponent(window.location.pathname + window.location.search), {
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        var parsed = new DOMParser().parseFromString(html, "text/html");
        card.replaceChildren.apply(card, Array.from(parsed.body.childNodes));
        card.hidden = false;
        card.focus();
      });
  }

  card.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-calendar-action")) {
      return;
    }
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
      body: new FormData(form),
    })
      .then(function (response) {
        return response.json().then(function (answer) {
          return { ok: response.ok, message: answer.message };
        });
      })
      .then(function (answer) {
        say(answer.ok ? answer.message : "Not changed: " + answer.message, !answer.ok);
        refresh();
        if (openCard) {
          showCard(openCard);
        }
      })
      .catch(function () {
        say("Not changed: the server could not be reached.", true);
      });
  });

  card.addEventListener("click", function (event) {
    if (event.target.closest("[data-card-close]")) {
      card.hidden = true;
      card.replaceChildren();
      openCard = null;
    }
  });

  root.querySelectorAll("input[name=calendar-columns]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      columns = radio.value;
      var url = new URL(window.location.href);
      url.searchParams.set("columns", columns);
      window.history.replaceState(null, "", url.toString());
      refresh();
    });
  });

  document.querySelectorAll(".calendar-js-only").forEach(function (el) {
    el.hidden = false;
  });
  // The week page leaves its list out of the grid layout (the feed draws the week); the
  // day page still carries one for browsers without JavaScript.
  var list = document.getElementById("calendar-list");
  if (list) list.hidden = true;
  refresh();
})();
