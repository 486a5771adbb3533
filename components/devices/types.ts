/** A device as GET /api/v1/devices returns it (the API password never leaves the server). */
export type Device = {
  id: string;
  name: string;
  address: string;
  username: string;
  hasPassword: boolean;
  site: string;
  tags: string[];
  createdAt: string;
  updatedAt: string;
};

export type DeviceList = { items: Device[]; total: number };

export type Role = "admin" | "viewer";
