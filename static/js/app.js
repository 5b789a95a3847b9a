// Progressive enhancements only: every page works without this file.
"use strict";

document.addEventListener("submit", (event) => {
  // Forms that destroy or end something ask first: <form data-confirm="End this pair?">.
  const form = event.target;
  const message = form instanceof HTMLFormElement ? form.dataset.confirm : undefined;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

document.addEventListener("keydown", (event) => {
  // Escape closes an open account menu, as a keyboard user expects.
  if (event.key === "Escape") {
    document.querySelectorAll("details.account-menu[open]").forEach((menu) => {
      menu.removeAttribute("open");
      menu.querySelector("summary")?.focus();
    });
  }
});

document.addEventListener("click", (event) => {
  // <button data-copy-target="field-id"> copies that field's value to the clipboard.
  const button = event.target instanceof Element ? event.target.closest("[data-copy-target]") : null;
  if (!button) return;
  const field = document.getElementById(button.dataset.copyTarget);
  if (!field) return;
  field.select();
  const done = () => {
    const original = button.textContent;
    button.textContent = button.dataset.copiedLabel || "Copied";  // translated by the page
    setTimeout(() => { button.textContent = original; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, () => document.execCommand("copy") && done());
  } else if (document.execCommand("copy")) {
    done();
  }
});

function closeAccountMenus(except) {
  document.querySelectorAll("details.account-menu[open]").forEach((menu) => {
    if (menu !== except) menu.removeAttribute("open");
  });
}

document.addEventListener("click", (event) => {
  // A click anywhere outside the account menu closes it.
  const inside = event.target instanceof Element ? event.target.closest("details.account-menu") : null;
  closeAccountMenus(inside);
});

document.addEventListener("focusin", (event) => {
  // Tabbing out of the account menu closes it too.
  const inside = event.target instanceof Element ? event.target.closest("details.account-menu") : null;
  closeAccountMenus(inside);
});

function tablesAsCards() {
  // On a phone, CSS turns the rows of a labelled table into cards (see app.css, "Tables
  // on a phone"): name each cell after its column, and keep the table's semantics.
  document.querySelectorAll(".table-wrap").forEach((wrap) => {
    const table = wrap.querySelector(":scope > table");
    if (!table || !table.tHead || wrap.hasAttribute("data-cards")) return;
    const headers = Array.from(table.tHead.rows[0]?.cells ?? []).map((cell) => {
      const hidden = Array.from(cell.querySelectorAll(".visually-hidden"))
        .map((node) => node.textContent).join("").trim();
      const text = cell.textContent.replace(/\s+/g, " ").trim();
      // A header only screen readers see (e.g. "Actions") labels nothing on screen.
      return text && text !== hidden ? text : "";
    });
    table.setAttribute("role", "table");
    Array.from(table.querySelectorAll(":scope > thead, :scope > tbody")).forEach((group) => {
      group.setAttribute("role", "rowgroup");
    });
    Array.from(table.tHead.rows).forEach((row) => {
      row.setAttribute("role", "row");
      Array.from(row.cells).forEach((cell) => cell.setAttribute("role", "columnheader"));
    });
    Array.from(table.tBodies).forEach((body) => {
      Array.from(body.rows).forEach((row) => {
        row.setAttribute("role", "row");
        let column = 0;
        Array.from(row.cells).forEach((cell) => {
          cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
          if (headers[column]) cell.dataset.label = headers[column];
          column += cell.colSpan || 1;
        });
      });
    });
    wrap.setAttribute("data-cards", "");
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", tablesAsCards);
} else {
  tablesAsCards();
}
