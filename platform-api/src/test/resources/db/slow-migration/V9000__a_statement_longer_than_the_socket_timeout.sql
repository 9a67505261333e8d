-- MigrationsTest: one statement that runs longer than the pool's socketTimeout it sets (1 s)
select pg_sleep(2.5);
