// Stand-in for the `server-only` package under vitest (the real one throws outside React Server Components).
export {};
