/* Pickers (core.forms.PickerWidget): typing fetches choices with htmx; choosing one fills the hidden
   input that the form posts. Typing again clears the choice, so a half-typed name is never posted. */
document.addEventListener("click", function (event) {
  var choice = event.target.closest("[data-picker-choice]");
  if (!choice) return;
  var picker = choice.closest("[data-picker]");
  picker.querySelector("[data-picker-value]").value = choice.dataset.value;
  var search = picker.querySelector("[data-picker-search]");
  search.value = choice.dataset.label;
  search.setAttribute("aria-expanded", "false");
  picker.querySelector(".picker-results").innerHTML = "";
  search.focus();
});
document.addEventListener("input", function (event) {
  if (!event.target.matches("[data-picker-search]")) return;
  var picker = event.target.closest("[data-picker]");
  picker.querySelector("[data-picker-value]").value = "";
  event.target.setAttribute("aria-expanded", "true");
});
