package server

import (
	"bufio"
	"bytes"
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"elvcare/domain"
	"elvcare/sync/xlsx"
)

// ImportQuery is the query of POST /api/archive/import.
type ImportQuery struct {
	// DryRun=1 checks the workbook and runs the import without keeping
	// anything: the answer says what would be imported.
	DryRun bool `query:"dryRun"`
}

// ImportProblem is one problem of a refused import: where it is (sheet,
// Excel row number, column), the value found, a stable code and the
// message in the request's language.
type ImportProblem struct {
	Sheet   string `json:"sheet"`
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Value   string `json:"value"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ImportErrorBody is the 422 answer to a workbook with problems: the
// standard error, and beside it every problem (the first
// maxImportProblems when there are more; Truncated says so).
type ImportErrorBody struct {
	Error     ImportErrorDetail `json:"error"`
	Problems  []ImportProblem   `json:"problems"`
	Truncated bool              `json:"truncated,omitempty"`
}

// ImportErrorDetail is ErrorDetail with fields always present (empty: the
// problems say where).
type ImportErrorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}

// maxImportProblems caps the list sent back; a wholly wrong file would
// otherwise list every cell.
const maxImportProblems = 1000

// Time limits of the import and the export, beyond the 10 s of ordinary
// store calls: a workbook is thousands of writes in one transaction.
const (
	importTimeout = 2 * time.Minute
	exportTimeout = 5 * time.Minute
)

// errImportFileTooLarge: the upload is over xlsx.MaxBytes.
var errImportFileTooLarge = domain.E(domain.KindTooLarge, "import.file_too_large")

// xlsxRoutes are the archive's Excel template, import and export.
func (s *Server) xlsxRoutes() []Route {
	xlsx.Register(s.eng)
	imp := Need(domain.PermArchiveImport)
	return []Route{
		{Method: "GET", Path: "/api/archive/template.xlsx", Access: imp, Tag: "archive",
			Summary: "The Excel import template: sheets 客户, 场地, 联系人, 合同, 设备 and 说明, with drop-downs and example rows",
			RawResp: xlsx.ContentType, Handle: s.archiveTemplate},
		{Method: "POST", Path: "/api/archive/import", Access: imp, Tag: "archive",
			Summary: "Import a filled-in template (.xlsx, at most 20 MB) in one transaction: all rows or none; dryRun=1 only checks. " +
				"422 lists every problem (sheet, row, column, value, message) beside the error",
			RawBody: []string{xlsx.ContentType, "application/octet-stream"}, Query: ImportQuery{}, Resp: xlsx.Result{},
			Mutates: true, Handle: s.importArchive},
		{Method: "GET", Path: "/api/archive/export.xlsx", Access: archiveRead, Tag: "archive",
			Summary: "The whole archive as .xlsx in the template's layout (can be edited and imported into an empty system)",
			RawResp: xlsx.ContentType, Handle: s.exportArchive},
	}
}

func (s *Server) archiveTemplate(c *fiber.Ctx, _ *Session) error {
	b, err := xlsx.Template()
	if err != nil {
		return err
	}
	defer b.Close()
	var buf bytes.Buffer
	if _, err := b.WriteTo(&buf); err != nil {
		return err
	}
	setDownload(c, "客户档案导入模板.xlsx", "archive-template.xlsx")
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return c.Send(buf.Bytes())
}

func (s *Server) importArchive(c *fiber.Ctx, sess *Session) error {
	q := queryParams(c)
	dry := q.boolean("dryRun")
	if err := q.err(); err != nil {
		return err
	}
	body := c.Body()
	switch {
	case len(body) == 0:
		return ErrFileEmpty
	case len(body) > xlsx.MaxBytes:
		return errImportFileTooLarge
	}
	key := strings.TrimSpace(c.Get("Idempotency-Key"))
	if len(key) > 200 {
		return domain.Problems{"Idempotency-Key": "too_long"}.Err()
	}
	ctx, cancel := context.WithTimeout(context.Background(), importTimeout)
	defer cancel()
	res, err := xlsx.Import(ctx, s.eng, sess.Actor(), body, xlsx.Options{DryRun: dry, IdempotencyKey: utils.CopyString(key)})
	if ie, ok := xlsx.IsInvalid(err); ok {
		return s.importProblems(c, ie)
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(res)
}

// importProblems answers 422 with the standard error and the problems.
func (s *Server) importProblems(c *fiber.Ctx, ie *xlsx.InvalidError) error {
	lang := langOf(c)
	total := len(ie.Problems)
	shown := ie.Problems[:min(total, maxImportProblems)]
	body := ImportErrorBody{Problems: make([]ImportProblem, len(shown)), Truncated: total > len(shown)}
	for i, p := range shown {
		body.Problems[i] = ImportProblem{Sheet: p.Sheet, Row: p.Row, Column: p.Column, Value: p.Value, Code: p.Code,
			Message: problemMessage(p, lang)}
	}
	code := "import.invalid"
	if body.Truncated {
		code = "import.invalid_truncated"
	}
	params := map[string]string{"count": strconv.Itoa(total), "shown": strconv.Itoa(len(shown))}
	body.Error = ImportErrorDetail{Code: "import.invalid", Message: localize(messages, code, lang, params), Fields: map[string]string{}}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusUnprocessableEntity).JSON(body)
}

// problemMessage is a problem's text: an import's own wording of a field
// code ("import.required" for "required"), the importer's and the
// domain's field codes, then the general codes a write may fail with.
func problemMessage(p xlsx.Problem, lang Lang) string {
	params := map[string]string{"column": p.Column, "value": p.Value}
	for k, v := range p.Params {
		params[k] = v
	}
	if _, ok := fieldMessages["import."+p.Code]; ok {
		return localize(fieldMessages, "import."+p.Code, lang, params)
	}
	if _, ok := fieldMessages[p.Code]; ok {
		return localize(fieldMessages, p.Code, lang, params)
	}
	if _, ok := messages[p.Code]; ok {
		return localize(messages, p.Code, lang, params)
	}
	return localize(fieldMessages, "invalid", lang, params)
}

func (s *Server) exportArchive(c *fiber.Ctx, _ *Session) error {
	ctx, cancel := context.WithTimeout(context.Background(), exportTimeout)
	defer cancel()
	b, err := xlsx.Export(ctx, s.eng.Store())
	if err != nil {
		return err
	}
	day := s.eng.Today().String()
	setDownload(c, "客户档案-"+day+".xlsx", "archive-"+day+".xlsx")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, xlsx.ContentType)
	// The zip is written as the client reads it; the sheets themselves were
	// streamed to temp files, so memory stays bounded. After the headers
	// are sent a failure can only cut the download short.
	log := s.log
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		defer b.Close()
		if _, err := b.WriteTo(w); err != nil {
			log.Warn("export archive", "err", err)
			return
		}
		if err := w.Flush(); err != nil {
			log.Warn("export archive", "err", err)
		}
	})
	return nil
}

// setDownload makes the answer a download named name (ascii for clients
// that cannot read the UTF-8 form).
func setDownload(c *fiber.Ctx, name, ascii string) {
	c.Set(fiber.HeaderContentType, xlsx.ContentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+ascii+`"; filename*=UTF-8''`+url.PathEscape(name))
}
