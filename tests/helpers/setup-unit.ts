// Vitest setupFiles (unit project): unit tests have no database; a dead address makes accidental use fail fast.
process.env.DATABASE_URL = "postgresql://unit-tests@127.0.0.1:9/unit_tests_have_no_database";
process.env.NEXTAUTH_SECRET ??= "unit-tests-secret-0123456789abcdefghij";
