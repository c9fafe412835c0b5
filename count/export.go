package count

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strconv"
)

// WriteCSV writes the table in long form, one line per cell: the row's
// key and labels, the column's (empty for a one-way table), the count n
// and its upper bound max. A withheld number is an empty field, and the
// last line holds the total.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{string(t.Rows), "label", "label_ko", colHeader(t.Cols), "col_label", "col_label_ko", "n", "max", "withheld"}); err != nil {
		return err
	}
	cols := t.ColBins
	if cols == nil {
		cols = []Bin{{}}
	}
	for i, rb := range t.RowBins {
		for j, cb := range cols {
			c := t.Cells[i][j]
			n, m, wh := strconv.Itoa(c.N), strconv.Itoa(c.Max), ""
			if c.Withheld {
				n, m, wh = "", "", "yes"
			} else if c.MaxWithheld {
				m = ""
			}
			if err := cw.Write([]string{rb.Key, rb.Label, rb.LabelKO, cb.Key, cb.Label, cb.LabelKO, n, m, wh}); err != nil {
				return err
			}
		}
	}
	total, wh := strconv.Itoa(t.Total), ""
	if t.TotalWithheld {
		total, wh = "", "yes"
	}
	if err := cw.Write([]string{"total", "total", "합계", "", "", "", total, total, wh}); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func colHeader(d Dim) string {
	if d == None {
		return "col"
	}
	return string(d)
}

// WriteJSON writes the table as indented JSON; withheld numbers are null.
func (t *Table) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(t)
}
