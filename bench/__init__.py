"""Fondsflow's benchmark harness: seeding (bench.seed), the floor view, the load loop and the runner (bench.run)."""
