package sqlitestore

// telegramMigration is schema step 5: a user's Telegram user id leaves the
// profile JSON for a column of its own under a partial unique index, so a
// Telegram user is linked to one account at most, under concurrency too,
// and ByTelegramID is an index hit. An id that two accounts' profiles
// share (nothing before this step kept it unique) is linked to neither:
// neither link can be trusted, and each owner links again.
const telegramMigration = `
ALTER TABLE users ADD COLUMN telegram_id INTEGER;
UPDATE users SET telegram_id = json_extract(profile, '$.telegram_id')
WHERE json_extract(profile, '$.telegram_id') IN (
	SELECT json_extract(profile, '$.telegram_id') AS t FROM users
	WHERE t IS NOT NULL AND t <> 0 GROUP BY t HAVING COUNT(*) = 1
);
UPDATE users SET profile = json_remove(profile, '$.telegram_id');
CREATE UNIQUE INDEX users_telegram ON users (telegram_id) WHERE telegram_id IS NOT NULL;
`
