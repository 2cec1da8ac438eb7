package leoc

import (
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"leoc/internal/bs"
)

// InventoryItem is one entry of the relief store's item catalogue (सामग्री
// सूची): what the store keeps and a distribution hands out. Its code is what
// distributions, stock movements and the API name it by; the category and the
// unit are keys of the item_category and item_unit lists.
type InventoryItem struct {
	Record
	Code           string
	NameNe, NameEn string
	Category, Unit string
	// MinStock is the low-stock threshold: below it the item is listed as
	// low on the stock pages and the dashboard (0 = never low).
	MinStock                               Quantity
	TrackExpiry, TrackBatch, Distributable bool
}

// Name is the item's name in lang ("ne" or "en").
func (it *InventoryItem) Name(lang string) string {
	if lang == "en" {
		return it.NameEn
	}
	return it.NameNe
}

// Warehouse is a store room of the municipality or of a ward (भण्डार), with
// its keeper (Ward 0: the municipality's own).
type Warehouse struct {
	Record
	Code           string
	NameNe, NameEn string
	Ward           int
	Coords         *Coordinates
	Keeper, Phone  string
}

// Name is the warehouse's name in lang.
func (w *Warehouse) Name(lang string) string {
	if lang == "en" {
		return w.NameEn
	}
	return w.NameNe
}

// inventoryCode is what a code may hold: letters, digits and - _ . , starting
// with a letter or digit. Codes go into URLs (/inventory/items/{code}/card),
// CSV files and printed bin cards, so nothing else.
var inventoryCode = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]*$`)

// InventoryItemLimits are an item's field limits.
var InventoryItemLimits = Limits{
	"code": {Required: true, MaxLen: 40}, "name_ne": {Required: true, MaxLen: 200}, "name_en": {Required: true, MaxLen: 200},
	"category": {Required: true}, "unit": {Required: true},
}

// WarehouseLimits are a warehouse's field limits.
var WarehouseLimits = Limits{
	"code": {Required: true, MaxLen: 40}, "name_ne": {Required: true, MaxLen: 200}, "name_en": {Required: true, MaxLen: 200},
	"ward": {Min: 1, Max: 99}, "keeper": {MaxLen: 200}, "phone": {MaxLen: 30},
}

// NumberText is a number as typed or sent: JSON gives it as a string or a
// number, and the literal is kept for Apply to check, so a bad value is a
// field error and a JSON number is never read through a float.
type NumberText string

// UnmarshalJSON keeps a string's text or a number's literal; null is empty.
func (n *NumberText) UnmarshalJSON(b []byte) error {
	text, _, _, err := jsonNumberText(b, reflect.TypeFor[NumberText]())
	*n = NumberText(text)
	return err
}

// InventoryItemFields are an item's fields as the API and the form name them.
type InventoryItemFields struct {
	Code          string     `json:"code"`
	NameNe        string     `json:"name_ne"`
	NameEn        string     `json:"name_en"`
	Category      string     `json:"category"`
	Unit          string     `json:"unit"`
	MinStock      NumberText `json:"min_stock"`
	TrackExpiry   bool       `json:"track_expiry"`
	TrackBatch    bool       `json:"track_batch"`
	Distributable bool       `json:"distributable"`
}

// InventoryItemInput is what a person types; Apply turns it into an item.
type InventoryItemInput struct {
	InventoryItemFields
	Version int `json:"version"`
}

// Apply validates in and copies it onto it. Whether the category and the
// unit are in their lists, and whether the code is free, is checked when
// the item is saved.
func (in *InventoryItemInput) Apply(_ *bs.Calendar, it *InventoryItem) error {
	var v Validation
	checkCode(&v, InventoryItemLimits, &in.Code)
	for f, s := range map[string]*string{"name_ne": &in.NameNe, "name_en": &in.NameEn, "category": &in.Category, "unit": &in.Unit} {
		InventoryItemLimits.Text(&v, f, s)
	}
	it.MinStock = 0
	if raw := strings.TrimSpace(string(in.MinStock)); raw != "" {
		q, err := ParseQuantity(raw)
		if err != nil {
			v.Add("min_stock", "inventory.quantity_invalid")
		}
		it.MinStock = q
	}
	it.Code, it.NameNe, it.NameEn, it.Category, it.Unit = in.Code, in.NameNe, in.NameEn, in.Category, in.Unit
	it.TrackExpiry, it.TrackBatch, it.Distributable = in.TrackExpiry, in.TrackBatch, in.Distributable
	return v.Err()
}

func checkCode(v *Validation, l Limits, code *string) {
	l.Text(v, "code", code)
	if *code != "" && !v.Has("code") {
		v.Check(inventoryCode.MatchString(*code), "code", "inventory.code_invalid")
	}
}

// Input is the item as its form and API take it, to edit it.
func (it *InventoryItem) Input() InventoryItemInput {
	in := InventoryItemInput{InventoryItemFields{Code: it.Code, NameNe: it.NameNe, NameEn: it.NameEn, Category: it.Category,
		Unit: it.Unit, TrackExpiry: it.TrackExpiry, TrackBatch: it.TrackBatch, Distributable: it.Distributable}, it.Version}
	if it.MinStock != 0 {
		in.MinStock = NumberText(it.MinStock.String())
	}
	return in
}

// Fields is the audit view of an item.
func (it *InventoryItem) Fields() map[string]any {
	return map[string]any{"code": it.Code, "name_ne": it.NameNe, "name_en": it.NameEn, "category": it.Category, "unit": it.Unit,
		"min_stock": it.MinStock.String(), "track_expiry": it.TrackExpiry, "track_batch": it.TrackBatch, "distributable": it.Distributable}
}

// WarehouseFields are a warehouse's fields as the API and the form name them.
type WarehouseFields struct {
	Code      string     `json:"code"`
	NameNe    string     `json:"name_ne"`
	NameEn    string     `json:"name_en"`
	Ward      *int       `json:"ward"` // null: the municipality's own store
	Latitude  NumberText `json:"latitude"`
	Longitude NumberText `json:"longitude"`
	Keeper    string     `json:"keeper"`
	Phone     string     `json:"phone"`
}

// WarehouseInput is what a person types; Apply turns it into a warehouse.
type WarehouseInput struct {
	WarehouseFields
	Version int `json:"version"`
}

// Apply validates in and copies it onto w. The ward is checked against the
// settings when the warehouse is saved.
func (in *WarehouseInput) Apply(_ *bs.Calendar, w *Warehouse) error {
	var v Validation
	checkCode(&v, WarehouseLimits, &in.Code)
	for f, s := range map[string]*string{"name_ne": &in.NameNe, "name_en": &in.NameEn, "keeper": &in.Keeper} {
		WarehouseLimits.Text(&v, f, s)
	}
	w.Ward = 0
	if in.Ward != nil {
		v.Check(*in.Ward >= 1 && *in.Ward <= 99, "ward", "ward.number_invalid")
		w.Ward = *in.Ward
	}
	w.Phone = ""
	if p := strings.TrimSpace(in.Phone); p != "" {
		if n, ok := NormalizePhone(p); ok {
			w.Phone = n
		} else {
			v.Add("phone", "contact.phone_invalid", p)
		}
	}
	w.Coords = checkCoordinates(&v, coordinate(&v, "latitude", in.Latitude), coordinate(&v, "longitude", in.Longitude))
	w.Code, w.NameNe, w.NameEn, w.Keeper = in.Code, in.NameNe, in.NameEn, in.Keeper
	return v.Err()
}

// coordinate reads a typed coordinate (Devanagari digits accepted); nil when
// empty or unreadable (then the field has its message).
func coordinate(v *Validation, field string, t NumberText) *float64 {
	raw := strings.TrimSpace(bs.ASCIIDigits(string(t)))
	if raw == "" {
		return nil
	}
	f, err := strconv.ParseFloat(raw, 64)
	if err != nil {
		v.Add(field, "field.number")
		return nil
	}
	return &f
}

// Input is the warehouse as its form and API take it, to edit it.
func (w *Warehouse) Input() WarehouseInput {
	in := WarehouseInput{WarehouseFields{Code: w.Code, NameNe: w.NameNe, NameEn: w.NameEn, Keeper: w.Keeper, Phone: w.Phone}, w.Version}
	if w.Ward != 0 {
		ward := w.Ward
		in.Ward = &ward
	}
	if w.Coords != nil {
		in.Latitude = NumberText(strconv.FormatFloat(w.Coords.Latitude, 'f', -1, 64))
		in.Longitude = NumberText(strconv.FormatFloat(w.Coords.Longitude, 'f', -1, 64))
	}
	return in
}

// Fields is the audit view of a warehouse.
func (w *Warehouse) Fields() map[string]any {
	m := map[string]any{"code": w.Code, "name_ne": w.NameNe, "name_en": w.NameEn, "ward": strconv.Itoa(w.Ward),
		"keeper": w.Keeper, "phone": w.Phone, "latitude": nil, "longitude": nil}
	if w.Coords != nil {
		m["latitude"], m["longitude"] = w.Coords.Latitude, w.Coords.Longitude
	}
	return m
}
