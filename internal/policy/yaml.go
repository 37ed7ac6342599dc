package policy

import "gopkg.in/yaml.v3"

// UnmarshalYAML accepts a text as a mapping of language code to sentence,
// or as a plain string: the same sentence in every language.
func (t *Text) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*t = Text{"": n.Value}
		return nil
	}
	m := map[string]string{}
	if err := n.Decode(&m); err != nil {
		return err
	}
	*t = m
	return nil
}

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
