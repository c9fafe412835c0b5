package appeal

import (
	_ "embed"
	"html/template"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
)

// NanumGothic covers Hangul, Latin and the Hanja of KS X 1001, and is a
// TrueType font fpdf can subset (Debian's Noto CJK is CFF in a collection,
// which it cannot). Its licence, the SIL OFL 1.1, is font/OFL.txt.
//
//go:embed font/NanumGothic.ttf
var nanumGothic []byte

// Text writes the document as plain text for e-mail, wrapped at 76
// columns.
func (d *Document) Text(w io.Writer) error {
	var b strings.Builder
	b.WriteString(d.Title + "\n" + strings.Repeat("=", min(76, utf8.RuneCountInString(d.Title))) + "\n\n")
	b.WriteString("To:\n")
	for _, a := range d.Addressees {
		b.WriteString("  " + a + "\n")
	}
	b.WriteString("\nDate: " + d.Date + "\n")
	b.WriteString("Submitter's reference: " + d.Reference + "\n\n")
	b.WriteString(wrap(d.Intro, 76, "") + "\n")
	for _, s := range d.Sections {
		b.WriteString("\n" + s.Heading + "\n" + strings.Repeat("-", min(76, utf8.RuneCountInString(s.Heading))) + "\n")
		for _, it := range s.Items {
			b.WriteString(wrap(it.Label+": "+it.Value, 76, "    "))
		}
		for _, p := range s.Paras {
			b.WriteString(wrap(p, 76, "") + "\n")
		}
	}
	if d.Footer != "" {
		b.WriteString("\n" + wrap(d.Footer, 76, ""))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// wrap breaks s into lines of at most width runes at spaces; continuation
// lines start with indent.
func wrap(s string, width int, indent string) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(s) {
		n := utf8.RuneCountInString(word)
		if i > 0 {
			if line+1+n > width {
				b.WriteString("\n" + indent)
				line = utf8.RuneCountInString(indent)
			} else {
				b.WriteByte(' ')
				line++
			}
		}
		b.WriteString(word)
		line += n
	}
	return b.String() + "\n"
}

var htmlTmpl = template.Must(template.New("doc").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font-family: "Noto Sans", "Nanum Gothic", "Malgun Gothic", sans-serif; max-width: 46em; margin: 2em auto; line-height: 1.45; color: #111; }
h1 { font-size: 1.35em; }
h2 { font-size: 1.05em; margin-top: 1.6em; border-bottom: 1px solid #999; }
dl { display: grid; grid-template-columns: 14em 1fr; gap: .2em 1em; }
dt { font-weight: bold; }
dd { margin: 0; }
.meta, footer { color: #333; }
@media print { body { margin: 0; } }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="meta">To: {{range $i, $a := .Addressees}}{{if $i}}<br>{{end}}{{$a}}{{end}}</p>
<p class="meta">Date: {{.Date}}<br>Submitter's reference: {{.Reference}}</p>
<p>{{.Intro}}</p>
{{range .Sections}}<section>
<h2>{{.Heading}}</h2>
{{if .Items}}<dl>
{{range .Items}}<dt>{{.Label}}</dt><dd>{{.Value}}</dd>
{{end}}</dl>
{{end}}{{range .Paras}}<p>{{.}}</p>
{{end}}</section>
{{end}}{{if .Footer}}<footer><p>{{.Footer}}</p></footer>
{{end}}</body>
</html>
`))

// HTML writes the document as a self-contained HTML page.
func (d *Document) HTML(w io.Writer) error { return htmlTmpl.Execute(w, d) }

// PDF writes the document as an A4 PDF with the Korean font embedded
// (subset to the characters used). The PDF's dates are the document's, so
// the same document gives the same bytes.
func (d *Document) PDF(w io.Writer) error {
	date := d.At
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetProducer("tumen", true)
	pdf.SetTitle(d.Title, true)
	pdf.AddUTF8FontFromBytes("nanum", "", nanumGothic)
	pdf.SetMargins(20, 20, 20)
	pdf.SetAutoPageBreak(true, 20)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		pdf.SetFont("nanum", "", 8)
		pdf.CellFormat(0, 5, d.Reference+"  —  page "+strconv.Itoa(pdf.PageNo())+" of {nb}", "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	pdf.SetFont("nanum", "", 15)
	pdf.MultiCell(0, 7, d.Title, "", "L", false)
	pdf.Ln(3)
	pdf.SetFont("nanum", "", 10)
	pdf.MultiCell(0, 5, "To: "+strings.Join(d.Addressees, "\n      "), "", "L", false)
	pdf.Ln(1)
	pdf.MultiCell(0, 5, "Date: "+d.Date+"\nSubmitter's reference: "+d.Reference, "", "L", false)
	pdf.Ln(3)
	pdf.MultiCell(0, 5, d.Intro, "", "L", false)
	for _, s := range d.Sections {
		pdf.Ln(4)
		pdf.SetFont("nanum", "", 12)
		pdf.MultiCell(0, 6, s.Heading, "B", "L", false)
		pdf.Ln(1)
		pdf.SetFont("nanum", "", 10)
		for _, it := range s.Items {
			x := pdf.GetX()
			y := pdf.GetY()
			pdf.SetTextColor(80, 80, 80)
			pdf.MultiCell(50, 5, it.Label, "", "L", false)
			yl := pdf.GetY()
			pdf.SetTextColor(0, 0, 0)
			if yl < y { // the label broke onto a new page
				y = pdf.GetY() - 5
			}
			pdf.SetXY(x+52, y)
			pdf.MultiCell(0, 5, it.Value, "", "L", false)
			if pdf.GetY() < yl {
				pdf.SetY(yl)
			}
		}
		for _, p := range s.Paras {
			pdf.MultiCell(0, 5, p, "", "L", false)
			pdf.Ln(1.5)
		}
	}
	if d.Footer != "" {
		pdf.Ln(4)
		pdf.SetFont("nanum", "", 9)
		pdf.MultiCell(0, 4.5, d.Footer, "", "L", false)
	}
	return pdf.Output(w)
}
