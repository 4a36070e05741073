// The dashboard categories, declared once: the data-source kinds a dashboard is filed under, the
// folders of infrastructure/logging/dashboards/ ('none' stays in dashboards/ itself), and the
// values of dashboard-cm's --category.

// A dashboard of one of these data sources goes to that folder; of several, to mixed.
export const SOURCE_CATEGORIES = ['prometheus', 'loki', 'tempo'] as const;
export const CATEGORY_FOLDERS = [...SOURCE_CATEGORIES, 'mixed'] as const;
export const CATEGORIES = [...CATEGORY_FOLDERS, 'none'] as const;
export type Category = (typeof CATEGORIES)[number];
