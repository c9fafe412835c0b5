package sqlstore

import (
	"context"
	"encoding/json"

	"tumen"
)

// The gazetteer, organisations and vocabularies are reference data, not
// personal data: they are stored in the clear as JSON.

func encodePlace(p *tumen.Place) ([]any, error) {
	if err := validID("place", p.ID); err != nil {
		return nil, err
	}
	if p.NameEN == "" {
		return nil, tumen.Errorf(tumen.KindInvalid, "place %q needs an English name", p.ID)
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	return []any{p.ID, nullable(p.ParentID), p.Country, string(b)}, nil
}

func encodeOrganisation(o *tumen.Organisation) ([]any, error) {
	if err := validID("organisation", o.ID); err != nil {
		return nil, err
	}
	if o.NameEN == "" {
		return nil, tumen.Errorf(tumen.KindInvalid, "organisation %q needs an English name", o.ID)
	}
	b, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	return []any{o.ID, nullable(o.ParentID), string(b)}, nil
}

func encodeTerm(t *tumen.Term) ([]any, error) {
	if t.Vocab == "" || t.Code == "" {
		return nil, tumen.Errorf(tumen.KindInvalid, "a term needs a vocabulary and a code")
	}
	if t.LabelEN == "" || t.LabelKO == "" {
		return nil, tumen.Errorf(tumen.KindInvalid, "term %s/%s needs English and Korean labels", t.Vocab, t.Code)
	}
	extra := "{}"
	if len(t.Extra) > 0 {
		b, _ := json.Marshal(t.Extra)
		extra = string(b)
	}
	return []any{t.Vocab, t.Code, t.LabelEN, t.LabelKO, extra}, nil
}

// queryJSON runs a query whose one column holds JSON and decodes each row
// into a T.
func queryJSON[T any](ctx context.Context, db *DB, query string, args ...any) ([]*T, error) {
	return queryAll(ctx, db, func(r scanner) (*T, error) {
		var s string
		if err := r.Scan(&s); err != nil {
			return nil, err
		}
		v := new(T)
		if err := json.Unmarshal([]byte(s), v); err != nil {
			return nil, tumen.Wrap(err, "stored reference data does not parse")
		}
		return v, nil
	}, query, args...)
}

// Places returns the gazetteer.
func (db *DB) Places(ctx context.Context) ([]*tumen.Place, error) {
	return queryJSON[tumen.Place](ctx, db, `SELECT data FROM places ORDER BY id`)
}

// Organisations returns every organisation.
func (db *DB) Organisations(ctx context.Context) ([]*tumen.Organisation, error) {
	return queryJSON[tumen.Organisation](ctx, db, `SELECT data FROM organisations ORDER BY id`)
}

// Terms returns a vocabulary's terms, or every term when vocab is empty.
func (db *DB) Terms(ctx context.Context, vocab string) ([]*tumen.Term, error) {
	q := `SELECT vocab, code, label_en, label_ko, extra FROM terms`
	var args []any
	if vocab != "" {
		q += ` WHERE vocab = ?`
		args = append(args, vocab)
	}
	rows, err := db.query(ctx, q+` ORDER BY vocab, code`, args...)
	if err != nil {
		return nil, db.translate(err, "", "")
	}
	defer rows.Close()
	var out []*tumen.Term
	for rows.Next() {
		t := &tumen.Term{}
		var extra string
		if err := rows.Scan(&t.Vocab, &t.Code, &t.LabelEN, &t.LabelKO, &extra); err != nil {
			return nil, err
		}
		if extra != "{}" {
			if err := json.Unmarshal([]byte(extra), &t.Extra); err != nil {
				return nil, tumen.Wrap(err, "stored term does not parse")
			}
		}
		out = append(out, t)
	}
	return out, db.translate(rows.Err(), "", "")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
