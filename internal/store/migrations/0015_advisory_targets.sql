-- Advisories targeted at wards (issue 11, item 8).
--
-- wards lists the ward numbers an advisory concerns, ascending, as "3,5";
-- '' (every old advisory) means the whole municipality, which is what the
-- CAP feed always said. urgency, severity and certainty are CAP 1.2's
-- values as the officer chose them; old advisories get what the CAP feed
-- derived from their priority until now, so their alerts do not change.
-- title_en and content_en are an optional English version ('' = none).
ALTER TABLE advisories ADD COLUMN wards TEXT NOT NULL DEFAULT '';
ALTER TABLE advisories ADD COLUMN urgency TEXT NOT NULL DEFAULT 'Unknown';
ALTER TABLE advisories ADD COLUMN severity TEXT NOT NULL DEFAULT 'Unknown';
ALTER TABLE advisories ADD COLUMN certainty TEXT NOT NULL DEFAULT 'Unknown';
ALTER TABLE advisories ADD COLUMN title_en TEXT NOT NULL DEFAULT '';
ALTER TABLE advisories ADD COLUMN content_en TEXT NOT NULL DEFAULT '';
UPDATE advisories SET
    urgency = CASE priority WHEN 'critical' THEN 'Immediate' WHEN 'high' THEN 'Expected' WHEN 'normal' THEN 'Future' WHEN 'low' THEN 'Future' ELSE 'Unknown' END,
    severity = CASE priority WHEN 'critical' THEN 'Extreme' WHEN 'high' THEN 'Severe' WHEN 'normal' THEN 'Moderate' WHEN 'low' THEN 'Minor' ELSE 'Unknown' END,
    certainty = CASE priority WHEN 'critical' THEN 'Observed' WHEN 'high' THEN 'Likely' WHEN 'normal' THEN 'Possible' WHEN 'low' THEN 'Possible' ELSE 'Unknown' END;
