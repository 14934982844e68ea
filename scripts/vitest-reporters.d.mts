export function reporters(name: string): any[];
