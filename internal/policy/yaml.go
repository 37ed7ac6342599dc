package policy

import "gopkg.in/yaml.v3"

// UnmarshalYAML accepts a term as a plain string or as a mapping {term, alt}.
func (t *Term) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*t = Term{Term: n.Value}
		return nil
	}
	type plain Term
	return n.Decode((*plain)(t))
}

// UnmarshalYAML accepts an example as a plain string (its text) or as a
// mapping with the Example fields.
func (e *Example) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*e = Example{Text: n.Value}
		return nil
	}
	type plain Example
	return n.Decode((*plain)(e))
}
