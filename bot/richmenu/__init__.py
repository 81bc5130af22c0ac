"""Rich menus: their spec, their drawing, and deploying them to LINE."""
