package sqlitestore

import (
	"context"
	"database/sql"
	"errors"

	"gatehouse/core/fault"
	"gatehouse/core/identity"
	"gatehouse/ports"
)

// UserStore keeps accounts in users and the Number sequence in user_numbers.
type UserStore struct {
	db *DB
}

var _ ports.UserStore = (*UserStore)(nil)

// NewUserStore returns the user store of db.
func NewUserStore(db *DB) *UserStore { return &UserStore{db: db} }

func errUserNotFound() error {
	return identity.UserNotFound()
}

func errIDTaken() error {
	return identity.IDTaken()
}

// Create implements ports.UserStore in one transaction: it claims the Number
// above the highest ever claimed and inserts the user; a unique index that
// refuses the insert rolls the claim back.
func (s *UserStore) Create(ctx context.Context, u identity.User) (identity.User, error) {
	if u.ID == "" {
		return identity.User{}, fault.Invalidf("id", "required", "A user ID is required.")
	}
	prof, err := profileJSON(u)
	if err != nil {
		return identity.User{}, err
	}
	err = s.db.write(ctx, "create user", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx,
			`INSERT INTO user_numbers (number, user_id) SELECT COALESCE(MAX(number), 0) + 1, ? FROM user_numbers RETURNING number`,
			u.ID).Scan(&u.Number)
		if err != nil {
			return dbErr("claim user number", err)
		}
		u.Version = 1
		_, err = tx.ExecContext(ctx, `INSERT INTO users (`+userCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			u.ID, u.Number, u.Version, u.Login, u.Email, u.Phone, toUS(u.CreatedAt), toMS(u.UpdatedAt), prof, telegramCol(u.TelegramID))
		if col, ok := uniqueOn(err); ok {
			if taken, ok := takenError(col); ok {
				return taken
			}
		}
		if err != nil {
			return dbErr("insert user", err)
		}
		return nil
	})
	if err != nil {
		return identity.User{}, err
	}
	return s.ByID(ctx, u.ID) // the stored form: copies, UTC, milliseconds
}

// ByID implements ports.UserStore.
func (s *UserStore) ByID(ctx context.Context, id string) (identity.User, error) {
	return s.find(ctx, `id = ?`, id)
}

// ByNumber implements ports.UserStore.
func (s *UserStore) ByNumber(ctx context.Context, n int64) (identity.User, error) {
	return s.find(ctx, `number = ?`, n)
}

// ByLogin implements ports.UserStore.
func (s *UserStore) ByLogin(ctx context.Context, login string) (identity.User, error) {
	return s.findHandle(ctx, "login", login)
}

// ByEmail implements ports.UserStore.
func (s *UserStore) ByEmail(ctx context.Context, email string) (identity.User, error) {
	return s.findHandle(ctx, "email", email)
}

// ByPhone implements ports.UserStore.
func (s *UserStore) ByPhone(ctx context.Context, phone string) (identity.User, error) {
	return s.findHandle(ctx, "phone", phone)
}

// ByTelegramID implements ports.UserStore; `telegram_id = ?` implies the
// partial unique index's NOT NULL, so SQLite uses it.
func (s *UserStore) ByTelegramID(ctx context.Context, id int64) (identity.User, error) {
	if id == 0 {
		return identity.User{}, errUserNotFound()
	}
	return s.find(ctx, `telegram_id = ?`, id)
}

// findHandle finds by one handle column. The empty handle finds nobody;
// the `<> ”` term lets SQLite use the column's partial unique index.
func (s *UserStore) findHandle(ctx context.Context, col, value string) (identity.User, error) {
	if value == "" {
		return identity.User{}, errUserNotFound()
	}
	return s.find(ctx, col+` = ? AND `+col+` <> ''`, value)
}

func (s *UserStore) find(ctx context.Context, where string, arg any) (identity.User, error) {
	u, err := scanUser(s.db.r.QueryRowContext(ctx, `SELECT `+userCols+` FROM users WHERE `+where, arg))
	if noRows(err) {
		return identity.User{}, errUserNotFound()
	}
	if err != nil {
		return identity.User{}, dbErr("find user", err)
	}
	return u, nil
}

// Update implements ports.UserStore with one conditional UPDATE: it
// matches only the stored Version, so of concurrent Updates carrying one
// Version exactly one changes the row; a unique index refuses a handle
// another user holds. Number and CreatedAt are not written.
func (s *UserStore) Update(ctx context.Context, u identity.User) error {
	prof, err := profileJSON(u)
	if err != nil {
		return err
	}
	res, err := s.db.w.ExecContext(ctx,
		`UPDATE users SET version = version + 1, login = ?, email = ?, phone = ?, updated_at = ?, profile = ?, telegram_id = ?
		 WHERE id = ? AND version = ?`,
		u.Login, u.Email, u.Phone, toMS(u.UpdatedAt), prof, telegramCol(u.TelegramID), u.ID, u.Version)
	if col, ok := uniqueOn(err); ok {
		if taken, ok := takenError(col); ok {
			return taken
		}
	}
	if err != nil {
		return dbErr("update user", err)
	}
	if n, err := affected(res, "update user"); err != nil || n == 1 {
		return err
	}
	// Nothing matched: the user is absent, or its Version moved on.
	if _, err := s.ByID(ctx, u.ID); err != nil {
		return err
	}
	return identity.ErrStaleUser()
}

// List implements ports.UserStore.
func (s *UserStore) List(ctx context.Context, offset, limit int) ([]identity.User, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.db.r.QueryContext(ctx, `SELECT `+userCols+` FROM users ORDER BY number LIMIT ? OFFSET ?`, limit, max(offset, 0))
	if err != nil {
		return nil, dbErr("list users", err)
	}
	return collect(rows, scanUser, "list users")
}

// Delete implements ports.UserStore. Its Number stays claimed in
// user_numbers, so it is never given to another user.
func (s *UserStore) Delete(ctx context.Context, id string) error {
	res, err := s.db.w.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, id)
	if err != nil {
		return dbErr("delete user", err)
	}
	if n, err := affected(res, "delete user"); err != nil || n == 1 {
		return err
	}
	return errUserNotFound()
}

// affected returns how many rows a write changed.
func affected(res sql.Result, op string) (int64, error) {
	n, err := res.RowsAffected()
	if err != nil {
		return 0, dbErr(op, err)
	}
	return n, nil
}

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(interface{ Scan(...any) error }) (T, error), op string) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, dbErr(op, err)
		}
		out = append(out, v)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, dbErr(op, err)
	}
	return out, nil
}
