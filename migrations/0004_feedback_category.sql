-- /feedback's category (radio group: bug, idea, other) and the filename of its optional screenshot (file upload).
-- Only the name: the upload's signed CDN URL expires and is a credential while it lasts. NULL on older rows.
ALTER TABLE feedback ADD COLUMN category TEXT;
ALTER TABLE feedback ADD COLUMN file_name TEXT;
