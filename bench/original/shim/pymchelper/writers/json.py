class JsonWriter: pass
