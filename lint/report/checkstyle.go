package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/strata-dev/strata/lint"
)

// Checkstyle writes Checkstyle XML: a <file> per linted file (clean ones
// too, so that consumers know they were checked) with an <error> per
// diagnostic. Style findings are "info", checkstyle having no such level.
func Checkstyle(w io.Writer, results []FileResult, _ Summary, _ Options) error {
	x := &xmlWriter{}
	x.raw(xml.Header)
	x.raw(`<checkstyle version="4.3">` + "\n")
	for _, r := range results {
		if r.Source == nil {
			continue
		}
		if len(r.Diagnostics) == 0 {
			x.raw(fmt.Sprintf(`  <file name="%s"/>`+"\n", x.esc(r.Source.Path)))
			continue
		}
		x.raw(fmt.Sprintf(`  <file name="%s">`+"\n", x.esc(r.Source.Path)))
		for _, d := range r.Diagnostics {
			x.raw(fmt.Sprintf(`    <error line="%d" column="%d" severity="%s" message="%s" source="%s"/>`+"\n",
				d.Range.Start.Line, d.Range.Start.Column, checkstyleSeverity(d.Severity), x.esc(d.Message), x.esc(d.Code)))
		}
		x.raw("  </file>\n")
	}
	x.raw("</checkstyle>\n")
	_, err := w.Write(x.buf.Bytes())
	return err
}

func checkstyleSeverity(s lint.Severity) string {
	switch s {
	case lint.SeverityError:
		return "error"
	case lint.SeverityWarning:
		return "warning"
	}
	return "info"
}

// xmlWriter builds XML text; esc escapes attribute and text values (and
// replaces characters XML cannot carry).
type xmlWriter struct {
	buf bytes.Buffer
}

func (x *xmlWriter) raw(s string) { x.buf.WriteString(s) }

func (x *xmlWriter) esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// escText escapes element text, where line breaks may stay as they are.
func (x *xmlWriter) escText(s string) string {
	return strings.NewReplacer("&#xA;", "\n", "&#x9;", "\t").Replace(x.esc(s))
}
