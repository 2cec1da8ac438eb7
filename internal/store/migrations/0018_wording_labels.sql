-- Seeded labels brought in line with docs/glossary.md. Only a label that is
-- still the seeded default changes: a municipality that renamed one in the
-- settings keeps its own. A new database gets the new labels from seed.go.
UPDATE list_values SET label_ne = 'पूर्ण अशक्त अपाङ्गता'
    WHERE list = 'allowance_type' AND key = 'full_disability' AND label_ne = 'पूर्ण अपाङ्गता';
UPDATE list_values SET label_en = 'Full (red card) disability'
    WHERE list = 'allowance_type' AND key = 'full_disability' AND label_en = 'Full disability';
UPDATE list_values SET label_en = 'Severe (blue card) disability'
    WHERE list = 'allowance_type' AND key = 'severe_disability' AND label_en = 'Severe disability';
UPDATE settings SET value = 'स्थानीय आपत्कालीन कार्य सञ्चालन केन्द्र'
    WHERE key = 'leoc_name_ne' AND value = 'स्थानीय आपतकालीन कार्य सञ्चालन केन्द्र';
