package gqlexec

import (
	"fmt"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// LoadSchema loads GitHub's published SDL, dropping the exact duplicate
// field definitions it contains.
//
// GitHub's schema.graphql declares a few fields twice in the same type
// (EnterpriseOwnerInfo.repositoryDeployKeySetting, for one), which
// gqlparser rightly rejects. A duplicate is dropped only when it is the
// same definition as the first one (same arguments and type); a genuine
// conflict is still an error.
func LoadSchema(sdl string) (*ast.Schema, error) {
	doc, err := parser.ParseSchemas(validator.Prelude, &ast.Source{Name: "schema.graphql", Input: sdl})
	if err != nil {
		return nil, fmt.Errorf("gqlexec: parse schema: %w", err)
	}
	for _, defs := range []ast.DefinitionList{doc.Definitions, doc.Extensions} {
		for _, def := range defs {
			fields, err := dedupeFields(def)
			if err != nil {
				return nil, err
			}
			def.Fields = fields
		}
	}
	s, err := validator.ValidateSchemaDocument(doc)
	if err != nil {
		return nil, fmt.Errorf("gqlexec: validate schema: %w", err)
	}
	return s, nil
}

// dedupeFields returns def's fields without exact repeats.
func dedupeFields(def *ast.Definition) (ast.FieldList, error) {
	seen := make(map[string]*ast.FieldDefinition, len(def.Fields))
	out := def.Fields[:0:0]
	for _, f := range def.Fields {
		prev, dup := seen[f.Name]
		if !dup {
			seen[f.Name] = f
			out = append(out, f)
			continue
		}
		if signature(prev) != signature(f) {
			return nil, fmt.Errorf("gqlexec: %s.%s is defined twice with different signatures (%s, %s)",
				def.Name, f.Name, signature(prev), signature(f))
		}
	}
	return out, nil
}

// signature renders a field's arguments and type, e.g. "(first:Int)Foo!".
func signature(f *ast.FieldDefinition) string {
	s := "("
	for i, a := range f.Arguments {
		if i > 0 {
			s += ","
		}
		s += a.Name + ":" + a.Type.String()
		if a.DefaultValue != nil {
			s += "=" + a.DefaultValue.String()
		}
	}
	return s + ")" + f.Type.String()
}
