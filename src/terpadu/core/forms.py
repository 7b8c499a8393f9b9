"""The platform pages have no forms of their own; modules use templates/partials/form.html."""
