-- 0008_documents_lang_published: the documents' language index also holds their publication
-- date. Never edit this file once released.
--
-- Counting canonical events (panels, comparisons, networks) needs every report's language and
-- publication date; with both in the index they are read by scanning it, not the documents with
-- their texts. Filters by language use it as before.
DROP INDEX documents_lang;
CREATE INDEX documents_lang ON documents (lang, published);
