package bs

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxLineLen bounds one input line; a longer one is reported as an error on
// its own output line instead of failing the whole stream.
const maxLineLen = 4096

// ConvertLines converts one date per input line and writes exactly one line
// per input line, in order, so the output can be pasted next to the input:
// with toBS, AD dates (YYYY-MM-DD or YYYY/MM/DD) become BS dates; otherwise
// BS dates (also with Devanagari digits) become AD dates. Output dates are
// ISO YYYY-MM-DD with ASCII digits. A line that cannot be converted becomes
// "error: <reason>" and is counted in failed; blank input lines stay blank.
// err reports only reading or writing failures.
func ConvertLines(c *Calendar, r io.Reader, w io.Writer, toBS bool) (failed int, err error) {
	br := bufio.NewReaderSize(r, maxLineLen)
	bw := bufio.NewWriterSize(w, 64<<10)
	var out []byte
	for first := true; ; first = false {
		line, tooLong, rerr := readLine(br)
		if rerr != nil && rerr != io.EOF {
			return failed, fmt.Errorf("bs: convert: read: %w", rerr)
		}
		if rerr == io.EOF && len(line) == 0 && !tooLong {
			break
		}
		if first {
			line = bytes.TrimPrefix(line, []byte("\uFEFF")) // spreadsheet exports start with a BOM
		}
		out = out[:0]
		var cerr error
		switch s := strings.TrimSpace(string(line)); {
		case tooLong:
			cerr = fmt.Errorf("line longer than %d bytes", maxLineLen)
		case s == "":
		case toBS:
			out, cerr = c.appendBSOfAD(out, s)
		default:
			out, cerr = c.appendADOfBS(out, s)
		}
		if cerr != nil {
			failed++
			out = append(out[:0], "error: "...)
			out = append(out, strings.TrimPrefix(cerr.Error(), "bs: ")...)
		}
		out = append(out, '\n')
		if _, werr := bw.Write(out); werr != nil {
			return failed, fmt.Errorf("bs: convert: write: %w", werr)
		}
		if rerr == io.EOF {
			break
		}
	}
	if werr := bw.Flush(); werr != nil {
		return failed, fmt.Errorf("bs: convert: write: %w", werr)
	}
	return failed, nil
}

// readLine returns the next line without its line ending. When the line
// does not fit the buffer the rest of it is skipped and tooLong is set.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	line, err = br.ReadSlice('\n')
	for errors.Is(err, bufio.ErrBufferFull) {
		tooLong = true
		_, err = br.ReadSlice('\n')
	}
	if tooLong {
		line = nil
	}
	line = bytes.TrimSuffix(line, []byte("\n"))
	return bytes.TrimSuffix(line, []byte("\r")), tooLong, err
}

func (c *Calendar) appendBSOfAD(b []byte, s string) ([]byte, error) {
	y, m, d, ok := parseYMD(s)
	if !ok {
		return b, fmt.Errorf("%w: %q: want an AD date YYYY-MM-DD", ErrSyntax, s)
	}
	if !validGregorian(y, m, d) {
		return b, fmt.Errorf("%w: AD %q does not exist", ErrInvalidDate, s)
	}
	bsd, err := c.span().fromCivil(y, m, d)
	if err != nil {
		return b, err
	}
	return appendISO(b, bsd.Year, bsd.Month, bsd.Day), nil
}

func (c *Calendar) appendADOfBS(b []byte, s string) ([]byte, error) {
	sp := c.span() // one table for the check and the conversion
	d, err := c.Parse(s)
	if err != nil {
		return b, err
	}
	if err := sp.Validate(d); err != nil {
		return b, err
	}
	return appendCivil(b, sp.dayNumber(d)), nil
}
