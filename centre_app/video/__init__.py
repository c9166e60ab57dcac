"""Video wall domain: camera registry, layouts, walls, tours, stream state rules, evidence,
health and the camera simulator. No Qt widgets here (the libVLC players live in ui/)."""
