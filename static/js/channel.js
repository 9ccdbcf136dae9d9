// Discussions (networks.channel): progressive enhancement only; without JavaScript the quote links reload the page
// with the quotation in the composer, and "@Name" is typed by hand.
// 1. "Quote" puts the post (or the part of it selected) as a "> " quotation into the reply form, without a reload.
// 2. Typing "@" and two letters in a composer offers the people who may read the thread (names only).
(function () {
  "use strict";
  var composer = document.querySelector("textarea[data-composer]");
  if (!composer) {
    return;
  }

  function insert(text) {
    var start = composer.selectionStart, end = composer.selectionEnd, value = composer.value;
    composer.value = value.slice(0, start) + text + value.slice(end);
    composer.selectionStart = composer.selectionEnd = start + text.length;
    composer.dispatchEvent(new Event("input", { bubbles: true }));
    composer.focus();
  }

  document.querySelectorAll("[data-quote]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var post = link.closest(".post");
      var body = post && post.querySelector(".post-body");
      if (!body) {
        return;
      }
      event.preventDefault();
      var selection = window.getSelection ? String(window.getSelection()) : "";
      var text = selection && body.contains(window.getSelection().anchorNode) ? selection : body.innerText;
      var author = post.querySelector(".post-header strong");
      var head = (author ? author.textContent + " " : "") + "#" + link.getAttribute("data-quote") + ":\n";
      var quoted = text.trim().split("\n").map(function (line) { return line ? "> " + line : ">"; }).join("\n");
      if (composer.value && !/\n\n$/.test(composer.value)) {
        composer.selectionStart = composer.selectionEnd = composer.value.length;
        insert(/\n$/.test(composer.value) ? "\n" : "\n\n");
      }
      insert(head + quoted + "\n\n");
    });
  });

  var url = composer.closest("[data-people-url]");
  url = url && url.getAttribute("data-people-url");
  if (!url || !window.fetch) {
    return;
  }
  var list = document.createElement("ul");
  list.className = "mention-list";
  list.setAttribute("role", "listbox");
  list.hidden = true;
  composer.insertAdjacentElement("afterend", list);
  var timer = null, active = -1;

  function word() {
    var before = composer.value.slice(0, composer.selectionStart);
    var match = /(^|[^\w@.])@([^\s@,;:!?()]{2,30}(?: [^\s@,;:!?()]{1,30})?)$/.exec(before);
    return match ? match[2] : null;
  }

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    active = -1;
  }

  function choose(name) {
    var typed = word();
    if (typed === null) {
      return close();
    }
    composer.selectionStart = composer.selectionStart - typed.length;
    insert(name + " ");
    close();
  }

  function show(people) {
    list.innerHTML = "";
    active = -1;
    people.forEach(function (person) {
      var item = document.createElement("li");
      item.setAttribute("role", "option");
      item.textContent = person.name + (person.organisation ? " (" + person.organisation + ")" : "");
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(person.name);
      });
      item.dataset.name = person.name;
      list.appendChild(item);
    });
    list.hidden = !people.length;
  }

  composer.addEventListener("input", function () {
    clearTimeout(timer);
    var typed = word();
    if (typed === null) {
      return close();
    }
    timer = setTimeout(function () {
      fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(typed), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { people: [] }; })
        .then(function (data) { show(data.people || []); })
        .catch(close);
    }, 200);
  });

  composer.addEventListener("keydown", function (event) {
    if (list.hidden) {
      return;
    }
    var items = list.querySelectorAll("li");
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      active = (active + (event.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items.forEach(function (item, index) { item.setAttribute("aria-selected", index === active ? "true" : "false"); });
    } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
      event.preventDefault();
      choose(items[active].dataset.name);
    } else if (event.key === "Escape") {
      close();
    }
  });
  composer.addEventListener("blur", function () { setTimeout(close, 150); });
})();
