"""The web: what people see and the machines read. The map's SVG, the page shell and its Dash
panels, the callbacks, the handout and /compare (Jinja2 templates in templates/), the JSON API,
and the installable app (manifest and service worker). It reads the domain; it stores nothing."""
