import { Injectable } from '@nestjs/common';

/** The time, as one injectable source, so tests can move it instead of waiting. */
@Injectable()
export class Clock {
  now(): number {
    return Date.now();
  }
}
