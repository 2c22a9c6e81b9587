"""`leadsim serve`: the simulator in a browser, one private session process per trainee.

The server is an aiohttp app built on textual-serve's process driver
(:class:`textual_serve.app_service.AppService`): every websocket connection runs its own
``python -m sim ...`` process with the visitor's own trainee name, and its log goes to the
server's sessions folder, where `leadsim sessions`, `replay`, `report` and `sync` read it.

- :mod:`sim.serve.visitors`: trainee names, each held by one visitor (a random key in a
  cookie), so no visitor is ever offered another's unfinished session.
- :mod:`sim.serve.access`: who may connect (loopback only, or a token).
- :mod:`sim.serve.pages`: the pages (our own template: no web font, no CDN).
- :mod:`sim.serve.server`: routes, idle time-out, the session limit.
- :mod:`sim.serve.process`: one visitor's simulator process and its websocket's close codes.
- :mod:`sim.serve.keys`: the signing key file the session processes sign their logs with.
"""
