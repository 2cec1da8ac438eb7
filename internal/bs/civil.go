package bs

// Gregorian arithmetic on plain day numbers (days since 1970-01-01), so the
// conversion hot path needs neither time.Date's normalisation nor any
// allocation. The formulas are Howard Hinnant's days_from_civil and
// civil_from_days (proleptic Gregorian, exact for every int32 day).

func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12 // March = 0
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

func civilFromDays(z int64) (y, m, d int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := int(z - era*146097)
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	y = yoe + int(era)*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func isGregorianLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func gregorianMonthDays(y, m int) int {
	switch m {
	case 2:
		if isGregorianLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

func validGregorian(y, m, d int) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= gregorianMonthDays(y, m)
}

// appendCivil appends day number z as an ISO AD date, YYYY-MM-DD.
func appendCivil(b []byte, z int64) []byte {
	y, m, d := civilFromDays(z)
	return appendISO(b, y, m, d)
}

// appendISO appends YYYY-MM-DD with ASCII digits; years outside 0–9999 are
// printed in full rather than cut.
func appendISO(b []byte, y, m, d int) []byte {
	if y >= 0 && y <= 9999 {
		b = appendISOYear(b, y)
	} else {
		b = appendInt(b, y)
	}
	b = append(b, '-')
	b = append2(b, m)
	b = append(b, '-')
	return append2(b, d)
}

// appendISOYear appends a year of 0–9999 as four digits.
func appendISOYear(b []byte, y int) []byte {
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
}

func append2(b []byte, n int) []byte {
	if n >= 0 && n <= 99 {
		return append(b, byte('0'+n/10), byte('0'+n%10))
	}
	return appendInt(b, n)
}

func appendInt(b []byte, n int) []byte {
	if n < 0 {
		b = append(b, '-')
		u := uint64(-(n + 1)) + 1 // safe for math.MinInt
		return appendUint(b, u)
	}
	return appendUint(b, uint64(n))
}

func appendUint(b []byte, u uint64) []byte {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	return append(b, buf[i:]...)
}
