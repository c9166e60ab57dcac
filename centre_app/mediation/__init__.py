"""The mediation centre (大调解): rooms, mediators, rota, bookings with one conflict check
for room, mediators and parties together, cases and their outcomes, and the figures."""
