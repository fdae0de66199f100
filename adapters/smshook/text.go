package smshook

import (
	"fmt"
	"time"

	"gatehouse/core/identity"
	"gatehouse/ports"
)

// text is the SMS: short enough for one segment in Latin script (160
// characters) and in Cyrillic (70) with a short product name.
func text(m ports.Message, product string) string {
	minutes := max(int((m.TTL+time.Minute-1)/time.Minute), 1)
	if m.Locale == identity.LocaleRU {
		return fmt.Sprintf("Код %s: %s. Действует %d мин. Никому не сообщайте.", product, m.Code, minutes)
	}
	return fmt.Sprintf("Your %s code: %s. Valid for %d min. Do not share it.", product, m.Code, minutes)
}
